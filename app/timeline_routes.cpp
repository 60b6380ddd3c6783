#include "app/timeline_routes.hpp"

#include "app/api_support.hpp"
#include "app/session_guard.hpp"
#include "storage/pg_pool.hpp"

#include <limits>

namespace crmd::app {

namespace {

constexpr int default_page = 50;
constexpr int max_page = 100;

void timeline(storage::pg_pool& pool, const net::http_request& request, net::responder respond) {
  auto id = path_id(request, "id", "contact");
  if (auto* error = std::get_if<net::http_response>(&id))
    return respond(std::move(*error));
  auto page = parse_page(request, default_page, max_page,
                         keyset{"infinity", std::numeric_limits<std::int64_t>::max()});
  if (auto* error = std::get_if<net::http_response>(&page))
    return respond(std::move(*error));
  auto [limit, before] = std::get<page_request>(page);
  auto contact = std::to_string(std::get<std::int64_t>(id));
  pool.execute(
    {storage::statement::named("contact_exists", {contact}),
     storage::statement::named("contact_timeline", {contact, before.value,
                                                    std::to_string(before.id),
                                                    std::to_string(limit)})},
    [respond, limit](storage::pg_outcome outcome) {
      if (!outcome.ok())
        return respond(cursor_or_database_error(*outcome.error));
      if (outcome.results[0].rows.empty())
        return respond(net::error_response(404, "not_found", "no contact with this id"));
      respond(page_response(outcome.results[1], limit));
    });
}

void activity(storage::pg_pool& pool, const net::http_request& request, net::responder respond) {
  auto id = path_id(request, "id", "activity");
  if (auto* error = std::get_if<net::http_response>(&id))
    return respond(std::move(*error));
  pool.execute({storage::statement::named("get_activity",
                                          {std::to_string(std::get<std::int64_t>(id))})},
               [respond](storage::pg_outcome outcome) {
                 respond(first_row_response(outcome, "no activity with this id"));
               });
}

}  // namespace

void add_timeline_routes(net::router& routes, const session_guard& guard, storage::pg_pool& pool) {
  routes.add("GET", "/api/v1/contacts/{id}/timeline", "contacts_timeline",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               timeline(pool, request, std::move(respond));
             }));
  routes.add("GET", "/api/v1/activities/{id}", "activities_get",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               activity(pool, request, std::move(respond));
             }));
}

}  // namespace crmd::app
