#include "app/import_routes.hpp"

#include "actors/interfaces.hpp"
#include "app/api_support.hpp"
#include "domain/import_plan.hpp"
#include "storage/pg_pool.hpp"

#include <caf/all.hpp>


namespace crmd::app {

namespace {

using nlohmann::json;

json parsed_or_null(const storage::pg_value& text) {
  if (!text)
    return json();
  return json::parse(*text, nullptr, false);
}

void post_import(caf::actor_system& actors, storage::pg_pool& pool,
                 const net::http_request& request, net::responder respond) {
  import_request asked;
  if (!request.body.empty()) {
    auto body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      respond(net::error_response(400, "invalid_json", "the body must be a JSON object"));
      return;
    }
    if (auto provider = body.find("provider");
        provider != body.end() && *provider != json("openphone")) {
      respond(net::error_response(400, "invalid_provider", "provider must be \"openphone\""));
      return;
    }
    if (auto value = body.find("since"); value != body.end() && !value->is_null()) {
      asked.since = value->is_string() ? domain::normalize_since(value->get<std::string>())
                                       : std::nullopt;
      if (!asked.since) {
        respond(net::error_response(400, "invalid_since",
                                    "since must be a date (2024-01-31) or an ISO-8601 UTC time"));
        return;
      }
    }
    if (auto value = body.find("mms_media"); value != body.end()) {
      if (!value->is_boolean()) {
        respond(net::error_response(400, "invalid_mms_media", "mms_media must be true or false"));
        return;
      }
      asked.mms_media = value->get<bool>();
    }
  }
  start_openphone_import(pool, actors, asked, [respond](auto outcome) {
    if (auto* error = std::get_if<storage::pg_error>(&outcome)) {
      respond(net::error_response(503, "database_unavailable", error->message));
      return;
    }
    const auto& started = std::get<import_started>(outcome);
    respond(net::json_response(started.created ? 201 : 200,
                               json{{"id", started.id}, {"created", started.created}}.dump()));
  });
}

void get_import(storage::pg_pool& pool, const net::http_request& request,
                net::responder respond) {
  auto id = path_id(request, "id", "import");
  if (auto* error = std::get_if<net::http_response>(&id))
    return respond(std::move(*error));
  pool.execute({storage::statement::named("get_import_job",
                                          {std::to_string(std::get<std::int64_t>(id))})},
               [respond](storage::pg_outcome outcome) {
                 if (!outcome.ok()) {
                   respond(database_unavailable());
                   return;
                 }
                 if (outcome.results[0].rows.empty()) {
                   respond(net::error_response(404, "not_found", "no import with this id"));
                   return;
                 }
                 respond(net::json_response(200, import_job_json(outcome.results[0]).dump()));
               });
}

}  // namespace

void start_openphone_import(storage::pg_pool& pool, caf::actor_system& actors,
                            const import_request& request,
                            std::function<void(std::variant<import_started, storage::pg_error>)> done) {
  json options = json::object();
  if (request.since)
    options["since"] = *request.since;
  if (request.mms_media)
    options["mms_media"] = true;
  pool.execute(
    {storage::statement::named("create_import_job", {"openphone_history", options.dump()}),
     storage::statement::named("find_active_import_job", {"openphone_history"})},
    [&actors, done](storage::pg_outcome outcome) {
      if (!outcome.ok()) {
        done(*outcome.error);
        return;
      }
      const auto& found = outcome.results[1].rows;
      if (found.empty() || !found[0][0]) {
        done(storage::pg_error{"no_job", "", "the import job could not be created"});
        return;
      }
      import_started started{std::stoll(*found[0][0]), !outcome.results[0].rows.empty()};
      if (auto manager = actors.registry().get(registry_keys::imports))
        caf::anon_send(caf::actor_cast<caf::actor>(manager), atoms::start_atom_v, started.id);
      // Without a live manager its next sweep picks the job up.
      done(started);
    });
}

json import_job_json(const storage::pg_result& result) {
  const auto& row = result.rows.at(0);
  json job = json::object();
  for (std::size_t i = 0; i < result.columns.size(); ++i) {
    const auto& column = result.columns[i];
    if (column == "options" || column == "progress" || column == "report")
      job[column] = parsed_or_null(row[i]);
    else if (column == "id" || column == "pages_done" || column == "items_done"
             || column == "attempts")
      job[column] = row[i] ? json(std::stoll(*row[i])) : json();
    else
      job[column] = row[i] ? json(*row[i]) : json();
  }
  return job;
}

void add_import_routes(net::router& routes, caf::actor_system& actors, storage::pg_pool& pool,
                       const session_guard& guard) {
  routes.add("POST", "/api/v1/imports", "imports_start",
             guard.protect(
               [&actors, &pool](net::http_request&& request, principal, net::responder respond) {
                 post_import(actors, pool, request, std::move(respond));
               },
               access::owner_only));
  routes.add("GET", "/api/v1/imports/{id}", "imports_get",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               get_import(pool, request, std::move(respond));
             }));
}

}  // namespace crmd::app
