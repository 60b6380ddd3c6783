#include "actors/sync_health_actor.hpp"

#include "actors/interfaces.hpp"
#include "actors/openphone_client_types.hpp"
#include "domain/sync_health.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>
#include <date/date.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>

namespace crmd {

namespace {

using nlohmann::json;
using std::chrono::system_clock;

constexpr std::chrono::seconds status_timeout{2};

struct health_state {
  static constexpr const char* name = "crmd.sync_health";
  sync_health_options options;
  std::string last_verdict;  // status + reason of the last check, to publish changes only
};

using health_ptr = caf::stateful_actor<health_state>*;
using reply = std::function<void(std::string)>;

domain::circuit_state parse_circuit(const std::string& text) {
  if (text == "open")
    return domain::circuit_state::open;
  if (text == "half_open")
    return domain::circuit_state::half_open;
  return domain::circuit_state::closed;
}

// Row of webhook_sync_facts: last received (ISO text), failed, dead, last received (epoch ms).
json health_json(const storage::pg_result& facts_row, domain::circuit_state circuit,
                 std::chrono::minutes quiet_limit) {
  const auto& row = facts_row.rows.at(0);
  domain::sync_facts facts{.failed_events = std::stoll(row[1].value_or("0")),
                           .dead_events = std::stoll(row[2].value_or("0")),
                           .circuit = circuit};
  if (row[3])
    facts.last_webhook_at =
      system_clock::time_point(std::chrono::milliseconds(std::llround(std::stod(*row[3]))));
  auto now = system_clock::now();
  auto verdict = domain::judge_sync(facts, now, quiet_limit);
  return {{"status", verdict.status},
          {"reason", verdict.reason},
          {"checked_at", date::format("%FT%TZ", date::floor<std::chrono::milliseconds>(now))},
          {"webhooks",
           {{"last_received_at", row[0] ? json(*row[0]) : json()},
            {"failed", facts.failed_events},
            {"dead", facts.dead_events}}},
          {"provider", {{"circuit", domain::to_string(circuit)}}}};
}

void conclude(health_ptr self, const json& health, const reply& done) {
  auto verdict = health["status"].get<std::string>() + health["reason"].get<std::string>();
  if (verdict != self->state.last_verdict) {
    if (!self->state.last_verdict.empty())
      log::info("sync_health", "sync health changed",
                {{"status", health["status"]}, {"reason", health["reason"]}});
    self->state.last_verdict = verdict;
    if (auto hub = self->system().registry().get<hub_actor>(registry_keys::hub))
      self->send(hub, atoms::publish_atom_v, std::string("sync"),
                 json{{"event", "sync.health"}, {"data", health}}.dump());
  }
  if (done)
    done(health.dump());
}

void check(health_ptr self, reply done) {
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db)
    return;
  auto quiet = self->state.options.webhook_quiet;
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{storage::statement::named("webhook_sync_facts")}})
    .then(
      [self, done, quiet](storage::pg_outcome& outcome) {
        if (!outcome.ok() || outcome.results[0].rows.empty()) {
          if (done)
            done({});
          return;
        }
        auto facts = std::make_shared<storage::pg_result>(std::move(outcome.results[0]));
        auto client =
          self->system().registry().get<openphone_client_actor>(registry_keys::openphone);
        if (!client)
          return conclude(self, health_json(*facts, domain::circuit_state::closed, quiet), done);
        self->request(client, status_timeout, atoms::provider_status_atom_v)
          .then(
            [self, facts, done, quiet](const std::string& circuit) {
              conclude(self, health_json(*facts, parse_circuit(circuit), quiet), done);
            },
            [self, facts, done, quiet](caf::error&) {
              conclude(self, health_json(*facts, domain::circuit_state::closed, quiet), done);
            });
      },
      [done](caf::error&) {
        if (done)
          done({});
      });
}

caf::behavior health_behavior(health_ptr self, sync_health_options options) {
  self->state.options = options;
  self->send(self, atoms::tick_atom_v);
  return {
    [self](atoms::tick_atom) {
      check(self, nullptr);
      self->delayed_send(self, self->state.options.interval, atoms::tick_atom_v);
    },
    // The health JSON text; empty when the database did not answer.
    [self](caf::get_atom) -> caf::result<std::string> {
      auto promise = self->make_response_promise<std::string>();
      check(self, [promise](std::string health) mutable { promise.deliver(std::move(health)); });
      return promise;
    },
  };
}

}  // namespace

caf::actor spawn_sync_health_actor(caf::actor_system& system, sync_health_options options) {
  return system.spawn(health_behavior, options);
}

}  // namespace crmd
