#include "app/contact_routes.hpp"

#include "app/api_support.hpp"
#include "app/session_guard.hpp"
#include "domain/contact_search.hpp"
#include "domain/contact_update.hpp"
#include "storage/pg_pool.hpp"

namespace crmd::app {

namespace {

constexpr int default_page = 25;
constexpr int max_page = 100;
constexpr std::string_view no_contact = "no contact with this id";

void search(storage::pg_pool& pool, const net::http_request& request, net::responder respond) {
  auto query = domain::make_contact_query(request.query_param("q").value_or(""));
  if (!query)
    return respond(net::error_response(
      400, "invalid_query", "q must be at most 100 characters without control characters"));
  auto page = parse_page(request, default_page, max_page, keyset{"", 0});
  if (auto* error = std::get_if<net::http_response>(&page))
    return respond(std::move(*error));
  auto [limit, after] = std::get<page_request>(page);
  pool.execute({storage::statement::named("search_contacts",
                                          {query->pattern, query->digits, after.value,
                                           std::to_string(after.id), std::to_string(limit)})},
               [respond, limit](storage::pg_outcome outcome) {
                 if (!outcome.ok())
                   return respond(database_unavailable());
                 respond(page_response(outcome.results[0], limit));
               });
}

void get(storage::pg_pool& pool, const net::http_request& request, net::responder respond) {
  auto id = path_id(request, "id", "contact");
  if (auto* error = std::get_if<net::http_response>(&id))
    return respond(std::move(*error));
  pool.execute({storage::statement::named("get_contact", {std::to_string(std::get<std::int64_t>(id))})},
               [respond](storage::pg_outcome outcome) {
                 if (!outcome.ok())
                   return respond(database_unavailable());
                 const auto& rows = outcome.results[0].rows;
                 if (rows.empty())
                   return respond(net::error_response(404, "not_found", no_contact));
                 // Splice the conversations into the contact object: both are JSON from SQL.
                 auto body = rows[0][0].value_or("{}");
                 body.pop_back();
                 body += R"(,"conversations":)" + rows[0][1].value_or("[]") + "}";
                 respond(net::json_response(200, std::move(body)));
               });
}

// {"opted_out": bool} (alone or with other fields): opting out or back in is audited with the
// user (opt_out_events) and suppresses the contact's pending campaign members.
void set_opted_out(storage::pg_pool& pool, std::int64_t id, const principal& user,
                   bool opted_out, std::optional<std::string> other_fields,
                   net::responder respond) {
  std::vector<storage::statement> batch;
  if (other_fields)
    batch.push_back(
      storage::statement::named("update_contact", {std::to_string(id), *other_fields}));
  batch.push_back(storage::statement::named(
    "set_contact_opted_out",
    {std::to_string(id), opted_out ? "true" : "false", std::to_string(user.user_id)}));
  pool.execute(std::move(batch), [respond](storage::pg_outcome outcome) {
    if (!outcome.ok())
      return respond(database_unavailable());
    const auto& rows = outcome.results.back().rows;
    if (rows.empty() || !rows[0][0])
      return respond(net::error_response(404, "not_found", no_contact));
    respond(net::json_response(200, *rows[0][0]));
  });
}

void update(storage::pg_pool& pool, const net::http_request& request, const principal& user,
            net::responder respond) {
  auto id = path_id(request, "id", "contact");
  if (auto* error = std::get_if<net::http_response>(&id))
    return respond(std::move(*error));
  auto body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_object() && body.contains("opted_out")) {
    if (!body["opted_out"].is_boolean())
      return respond(net::error_response(400, "invalid_field", "opted_out must be true or false"));
    bool opted_out = body["opted_out"].get<bool>();
    body.erase("opted_out");
    std::optional<std::string> other_fields;
    if (!body.empty()) {
      auto others = domain::validate_contact_update(body.dump());
      if (auto* error = std::get_if<domain::contact_update_error>(&others))
        return respond(net::error_response(400, error->code, error->message));
      other_fields = std::get<nlohmann::json>(others).dump();
    }
    return set_opted_out(pool, std::get<std::int64_t>(id), user, opted_out,
                         std::move(other_fields), std::move(respond));
  }
  auto checked = domain::validate_contact_update(request.body);
  if (auto* error = std::get_if<domain::contact_update_error>(&checked))
    return respond(net::error_response(400, error->code, error->message));
  pool.execute({storage::statement::named(
                 "update_contact", {std::to_string(std::get<std::int64_t>(id)),
                                    std::get<nlohmann::json>(checked).dump()})},
               [respond](storage::pg_outcome outcome) {
                 respond(first_row_response(outcome, no_contact));
               });
}

}  // namespace

void add_contact_routes(net::router& routes, const session_guard& guard, storage::pg_pool& pool) {
  routes.add("GET", "/api/v1/contacts", "contacts_search",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               search(pool, request, std::move(respond));
             }));
  routes.add("GET", "/api/v1/contacts/{id}", "contacts_get",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               get(pool, request, std::move(respond));
             }));
  routes.add("PATCH", "/api/v1/contacts/{id}", "contacts_update",
             guard.protect([&pool](net::http_request&& request, principal user,
                                   net::responder respond) {
               update(pool, request, user, std::move(respond));
             }));
}

}  // namespace crmd::app
