#include "app/reconciliation_routes.hpp"

#include "actors/interfaces.hpp"
#include "app/api_support.hpp"
#include "domain/reconcile_report.hpp"
#include "storage/pg_pool.hpp"

#include <caf/all.hpp>

namespace crmd::app {

namespace {

using nlohmann::json;

constexpr int default_limit = 20;
constexpr int max_limit = 100;

void post_reconciliation(caf::actor_system& actors, storage::pg_pool& pool,
                         net::responder respond) {
  start_reconciliation(pool, actors, "api", [respond](auto outcome) {
    if (auto* error = std::get_if<storage::pg_error>(&outcome)) {
      respond(net::error_response(503, "database_unavailable", error->message));
      return;
    }
    auto& started = std::get<reconciliation_started>(outcome);
    json body{{"reconciliation", std::move(started.reconciliation)}};
    if (!started.created)
      body["already_running"] = true;
    respond(net::json_response(started.created ? 202 : 200, body.dump()));
  });
}

void list_reconciliations(storage::pg_pool& pool, const net::http_request& request,
                          net::responder respond) {
  auto limit = parse_limit(request, default_limit, max_limit);
  if (auto* error = std::get_if<net::http_response>(&limit))
    return respond(std::move(*error));
  pool.execute(
    {storage::statement::named("list_reconciliations", {std::to_string(std::get<int>(limit))})},
    [respond](storage::pg_outcome outcome) {
      if (!outcome.ok()) {
        respond(database_unavailable());
        return;
      }
      auto rows = json::parse(outcome.results[0].rows.at(0)[0].value_or("[]"), nullptr, false);
      json list = json::array();
      if (rows.is_array())
        for (const auto& row : rows)
          list.push_back(reconciliation_view(row.dump()));
      respond(net::json_response(200, json{{"reconciliations", list}}.dump()));
    });
}

void get_reconciliation(storage::pg_pool& pool, const net::http_request& request,
                        net::responder respond) {
  auto id = path_id(request, "id", "reconciliation");
  if (auto* error = std::get_if<net::http_response>(&id))
    return respond(std::move(*error));
  pool.execute({storage::statement::named("get_reconciliation",
                                          {std::to_string(std::get<std::int64_t>(id))})},
               [respond](storage::pg_outcome outcome) {
                 if (!outcome.ok()) {
                   respond(database_unavailable());
                   return;
                 }
                 const auto& rows = outcome.results[0].rows;
                 if (rows.empty() || !rows[0][0]) {
                   respond(net::error_response(404, "not_found", "no reconciliation with this id"));
                   return;
                 }
                 respond(net::json_response(200, reconciliation_view(*rows[0][0]).dump()));
               });
}

}  // namespace

json reconciliation_view(const std::string& text) {
  auto value = json::parse(text, nullptr, false);
  if (!value.is_object())
    return json::object();
  value["report"] =
    domain::to_json(domain::reconcile_report_from_json(value.value("report", json::object())));
  return value;
}

void start_reconciliation(
  storage::pg_pool& pool, caf::actor_system& actors, const std::string& trigger,
  std::function<void(std::variant<reconciliation_started, storage::pg_error>)> done) {
  pool.execute(
    {storage::statement::named("create_reconciliation", {trigger}),
     storage::statement::named("find_active_reconciliation")},
    [&actors, done](storage::pg_outcome outcome) {
      if (!outcome.ok()) {
        done(*outcome.error);
        return;
      }
      const auto& found = outcome.results[1].rows;
      if (found.empty() || !found[0][0] || !found[0][1]) {
        // It finished between the two statements' snapshots: not possible in one transaction
        // unless another process finished it at once; say so rather than guess.
        done(storage::pg_error{"no_reconciliation", "", "the reconciliation could not be created"});
        return;
      }
      reconciliation_started started{std::stoll(*found[0][0]), !outcome.results[0].rows.empty(),
                                     reconciliation_view(*found[0][1])};
      if (auto reconciler = actors.registry().get(registry_keys::reconciler))
        caf::anon_send(caf::actor_cast<caf::actor>(reconciler), atoms::start_atom_v, started.id);
      // Without a live reconciler, the next one to start resumes it.
      done(std::move(started));
    });
}

void add_reconciliation_routes(net::router& routes, caf::actor_system& actors,
                               storage::pg_pool& pool, const session_guard& guard) {
  routes.add("POST", "/api/v1/reconciliations", "reconciliations_start",
             guard.protect(
               [&actors, &pool](net::http_request&&, principal, net::responder respond) {
                 post_reconciliation(actors, pool, std::move(respond));
               },
               access::owner_only));
  routes.add("GET", "/api/v1/reconciliations", "reconciliations_list",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               list_reconciliations(pool, request, std::move(respond));
             }));
  routes.add("GET", "/api/v1/reconciliations/{id}", "reconciliations_get",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               get_reconciliation(pool, request, std::move(respond));
             }));
}

}  // namespace crmd::app
