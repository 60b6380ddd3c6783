#include "app/inbox_routes.hpp"

#include "app/api_support.hpp"
#include "app/session_guard.hpp"
#include "storage/pg_pool.hpp"

#include <limits>

namespace crmd::app {

namespace {

constexpr int default_page = 50;
constexpr int max_page = 100;

void inbox(storage::pg_pool& pool, const net::http_request& request, const principal& user,
           net::responder respond) {
  auto page = parse_page(request, default_page, max_page,
                         keyset{"infinity", std::numeric_limits<std::int64_t>::max()});
  if (auto* error = std::get_if<net::http_response>(&page))
    return respond(std::move(*error));
  auto [limit, before] = std::get<page_request>(page);
  pool.execute({storage::statement::named("inbox_page",
                                          {std::to_string(user.user_id), before.value,
                                           std::to_string(before.id), std::to_string(limit)})},
               [respond, limit](storage::pg_outcome outcome) {
                 if (!outcome.ok())
                   return respond(cursor_or_database_error(*outcome.error));
                 respond(page_response(outcome.results[0], limit));
               });
}

void mark_read(storage::pg_pool& pool, const net::http_request& request, const principal& user,
               net::responder respond) {
  auto id = path_id(request, "id", "conversation");
  if (auto* error = std::get_if<net::http_response>(&id))
    return respond(std::move(*error));
  pool.execute({storage::statement::named("mark_conversation_read",
                                          {std::to_string(user.user_id),
                                           std::to_string(std::get<std::int64_t>(id))})},
               [respond](storage::pg_outcome outcome) {
                 if (!outcome.ok())
                   return respond(database_unavailable());
                 if (outcome.results[0].rows.empty())
                   return respond(
                     net::error_response(404, "not_found", "no conversation with this id"));
                 net::http_response done;
                 done.status = 204;
                 done.content_type.clear();
                 respond(std::move(done));
               });
}

}  // namespace

void add_inbox_routes(net::router& routes, const session_guard& guard, storage::pg_pool& pool) {
  routes.add("GET", "/api/v1/inbox", "inbox",
             guard.protect(
               [&pool](net::http_request&& request, principal user, net::responder respond) {
                 inbox(pool, request, user, std::move(respond));
               }));
  routes.add("POST", "/api/v1/conversations/{id}/read", "conversations_read",
             guard.protect(
               [&pool](net::http_request&& request, principal user, net::responder respond) {
                 mark_read(pool, request, user, std::move(respond));
               }));
}

}  // namespace crmd::app
