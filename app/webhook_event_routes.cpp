#include "app/webhook_event_routes.hpp"

#include "actors/interfaces.hpp"
#include "app/api_support.hpp"
#include "storage/event_statements.hpp"
#include "storage/pg_pool.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace crmd::app {

namespace {

using nlohmann::json;

json cell(const storage::pg_value& value) {
  return value ? json(*value) : json();
}

void list_events(storage::pg_pool& pool, const net::http_request& request,
                 net::responder respond) {
  auto status = request.query_param("status").value_or("failed");
  if (status != "received" && status != "processed" && status != "failed" && status != "dead") {
    respond(net::error_response(400, "invalid_status",
                                "status must be one of received, processed, failed, dead"));
    return;
  }
  std::int64_t before = std::numeric_limits<std::int64_t>::max();
  if (auto text = request.query_param("before")) {
    auto value = parse_id(*text);
    if (!value) {
      respond(net::error_response(400, "invalid_before", "before must be a positive event id"));
      return;
    }
    before = *value;
  }
  std::int64_t limit = 100;
  if (auto text = request.query_param("limit")) {
    auto value = parse_id(*text);
    if (!value || *value > 500) {
      respond(net::error_response(400, "invalid_limit", "limit must be from 1 to 500"));
      return;
    }
    limit = *value;
  }
  pool.execute(
    {storage::statement::named("list_webhook_events",
                               {status, std::to_string(before), std::to_string(limit)})},
    [respond, limit](storage::pg_outcome outcome) {
      if (!outcome.ok()) {
        respond(database_unavailable());
        return;
      }
      const auto& result = outcome.results.front();
      json data = json::array();
      for (const auto& row : result.rows) {
        json item = json::object();
        for (std::size_t i = 0; i < result.columns.size(); ++i)
          item[result.columns[i]] = cell(row[i]);
        item["id"] = std::stoll(*row[0]);
        item["attempts"] = std::stoi(*row[5]);
        data.push_back(std::move(item));
      }
      json next = static_cast<std::int64_t>(result.rows.size()) == limit && !result.rows.empty()
                    ? json(std::stoll(*result.rows.back()[0]))
                    : json();
      respond(net::json_response(200, json{{"data", data}, {"next_before", next}}.dump()));
    });
}

void replay_event(caf::actor_system& actors, storage::pg_pool& pool, const payload_parser& parse,
                  const net::http_request& request, net::responder respond) {
  auto id = parse_id(request.path_params.at("id"));
  if (!id) {
    respond(net::error_response(400, "invalid_id", "the event id must be a positive integer"));
    return;
  }
  auto id_text = std::to_string(*id);
  pool.execute(
    {storage::statement::named("replay_webhook_event", {id_text}),
     storage::statement::named("webhook_event_status", {id_text})},
    [&actors, parse, respond, id = *id, &pool](storage::pg_outcome outcome) {
      if (!outcome.ok()) {
        respond(database_unavailable());
        return;
      }
      const auto& replayed = outcome.results[0];
      if (replayed.rows.empty()) {
        if (outcome.results[1].rows.empty())
          respond(net::error_response(404, "not_found", "no webhook event with this id"));
        else
          respond(net::error_response(409, "not_replayable",
                                      "only failed or dead events can be replayed; this one is "
                                        + outcome.results[1].rows[0][0].value_or("")));
        return;
      }
      auto event = parse(*replayed.rows[0][1]);
      if (!event) {
        pool.execute({storage::record_event_failure(id, "unparseable_payload",
                                                    "stored payload is not understood", 1, 0)},
                     [](storage::pg_outcome) {});
        respond(net::error_response(422, "not_understood",
                                    "the stored payload is not an event crmd understands"));
        return;
      }
      auto registry = actors.registry().get(registry_keys::conversations);
      if (registry)
        caf::anon_send(caf::actor_cast<caf::actor>(registry), atoms::apply_atom_v,
                       webhook_job{id, std::move(*event)});
      // Without a live registry the periodic re-drive applies it: it is stored as received.
      respond(net::json_response(202, json{{"id", id}, {"status", "replaying"}}.dump()));
    });
}

}  // namespace

void add_webhook_event_routes(net::router& routes, caf::actor_system& actors,
                              storage::pg_pool& pool, payload_parser parse,
                              const session_guard& guard) {
  routes.add("GET", "/api/v1/webhook-events", "webhook_events_list",
             guard.protect([&pool](net::http_request&& request, principal, net::responder respond) {
               list_events(pool, request, std::move(respond));
             }));
  routes.add("POST", "/api/v1/webhook-events/{id}/replay", "webhook_events_replay",
             guard.protect(
               [&actors, &pool, parse](net::http_request&& request, principal,
                                       net::responder respond) {
                 replay_event(actors, pool, parse, request, std::move(respond));
               },
               access::owner_only));
}

}  // namespace crmd::app
