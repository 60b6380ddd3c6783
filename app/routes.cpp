#include "app/routes.hpp"

#include "observability/metrics.hpp"
#include "storage/migrator.hpp"
#include "storage/pg_pool.hpp"

#include <nlohmann/json.hpp>

namespace crmd::app {

namespace {

void readyz(storage::pg_pool& pool, net::responder respond) {
  auto stats = pool.stats();
  if (stats.idle + stats.busy == 0) {
    // Answer at once during an outage instead of queueing behind the pool's timeout.
    respond(net::error_response(503, "database_unavailable", "no PostgreSQL connection is up"));
    return;
  }
  pool.execute({storage::statement::text(
                 "SELECT coalesce(max(version), 0) FROM schema_migrations")},
               [respond](storage::pg_outcome outcome) {
                 if (!outcome.ok() || outcome.results.empty() || outcome.results[0].rows.empty()
                     || !outcome.results[0].rows[0][0]) {
                   respond(net::error_response(503, "database_unavailable",
                                               "PostgreSQL did not answer the readiness query"));
                   return;
                 }
                 int version = std::stoi(*outcome.results[0].rows[0][0]);
                 int expected = storage::latest_known_version();
                 if (version != expected) {
                   respond(net::error_response(
                     503, "schema_not_migrated",
                     "database schema is at version " + std::to_string(version)
                       + ", this crmd needs " + std::to_string(expected)));
                   return;
                 }
                 respond(net::json_response(
                   200, nlohmann::json{{"status", "ready"}, {"schema_version", version}}.dump()));
               });
}

}  // namespace

void add_operational_routes(net::router& routes, storage::pg_pool& pool,
                            observability::metrics& metrics) {
  routes.add("GET", "/healthz", "healthz", [](net::http_request&&, net::responder respond) {
    respond(net::json_response(200, R"({"status":"ok"})"));
  });
  routes.add("GET", "/readyz", "readyz", [&pool](net::http_request&&, net::responder respond) {
    readyz(pool, std::move(respond));
  });
  routes.add("GET", "/metrics", "metrics", [&metrics](net::http_request&&, net::responder respond) {
    net::http_response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics.scrape();
    respond(std::move(response));
  });
}

}  // namespace crmd::app
