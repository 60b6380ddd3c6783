#include "actors/sync_health_actor.hpp"

#include "actors/db_call.hpp"
#include "actors/interfaces.hpp"
#include "actors/openphone_client_types.hpp"
#include "actors/sync_health_metrics.hpp"
#include "actors/sync_health_report.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>
#include <date/tz.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

namespace crmd {

namespace {

using nlohmann::json;
using std::chrono::system_clock;

constexpr std::chrono::seconds status_timeout{2};
// Event ids are taken in insertion order but committed in any order: each scan re-reads this
// many ids below the last one it saw, so a late commit is not skipped.
constexpr std::int64_t rescan_overlap = 1000;

struct health_state {
  static constexpr const char* name = "crmd.sync_health";
  sync_health_options options;
  const date::time_zone* zone = nullptr;
  system_clock::time_point watching_since = system_clock::now();
  std::string last_signature;  // of the last check, to publish changes only
  // Per number, the newest webhook naming it seen so far, and the newest event id scanned: the
  // first check scans the whole inbox, later ones only what arrived since.
  std::map<std::string, webhook_seen> number_seen;
  std::int64_t scanned_through = 0;
  // Checks overlap (a tick and an API request): one that started before the last concluded
  // check only answers its asker, so stale facts never overwrite the gauges or get published.
  std::uint64_t checks_started = 0;
  std::uint64_t newest_concluded = 0;
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

std::int64_t integer(const storage::pg_value& value) {
  return value ? std::stoll(*value) : 0;
}

system_clock::time_point from_epoch_ms(const std::string& text) {
  return system_clock::time_point(std::chrono::milliseconds(std::llround(std::stod(text))));
}

std::optional<sync_reconcile_input> reconcile_row(const std::vector<storage::pg_value>& row) {
  return sync_reconcile_input{integer(row[0]), row[1].value_or(""), row[2], integer(row[3]),
                              integer(row[4])};
}

// Statements, in this order: webhook_sync_facts, sync_phone_numbers, webhook_events_newest_id,
// webhook_number_activity, latest_history_import, latest_reconciliations.
sync_health_input read_rows(health_state& st, std::vector<storage::pg_result>& results) {
  sync_health_input input;
  input.watching_since = st.watching_since;
  const auto& summary = results[0].rows.at(0);
  input.failed_events = integer(summary[1]);
  input.dead_events = integer(summary[2]);
  if (summary[0] && summary[3])
    input.last_webhook = webhook_seen{from_epoch_ms(*summary[3]), *summary[0]};

  for (const auto& row : results[3].rows) {
    if (!row[0] || !row[1] || !row[2])
      continue;
    webhook_seen seen{from_epoch_ms(*row[2]), *row[1]};
    auto [it, added] = st.number_seen.emplace(*row[0], seen);
    if (!added && seen.at > it->second.at)
      it->second = seen;
  }
  if (!results[2].rows.empty())
    st.scanned_through = std::max(st.scanned_through, integer(results[2].rows[0][0]));

  for (const auto& row : results[1].rows) {
    sync_number_input number{.phone_number = row[0].value_or(""),
                             .name = row[1],
                             .known_since = from_epoch_ms(row[2].value_or("0"))};
    if (auto it = st.number_seen.find(number.phone_number); it != st.number_seen.end())
      number.last_webhook = it->second;
    input.numbers.push_back(std::move(number));
  }
  if (!results[4].rows.empty()) {
    const auto& row = results[4].rows[0];
    input.import = sync_import_input{integer(row[0]), row[1].value_or(""), row[2]};
  }
  for (const auto& row : results[5].rows) {
    auto run = reconcile_row(row);
    if (!input.reconcile)
      input.reconcile = run;
    if (!input.last_finished && (run->status == "completed" || run->status == "failed"))
      input.last_finished = run;
  }
  return input;
}

void set_gauges(sync_health_metrics& metrics, const sync_health_input& input,
                const sync_health_report& report) {
  metrics.health("all", report.severity);
  metrics.silence("all", static_cast<double>(report.silence.count()));
  std::set<std::string> numbers;
  for (const auto& number : report.numbers) {
    metrics.health(number.phone_number, number.severity);
    metrics.silence(number.phone_number, static_cast<double>(number.silence.count()));
    numbers.insert(number.phone_number);
  }
  metrics.keep_numbers(numbers);
  metrics.events(input.failed_events, input.dead_events);
  metrics.provider_error_ratio(input.error_ratio);
}

void conclude(health_ptr self, std::uint64_t check_id, const sync_health_input& input,
              const reply& done) {
  auto& st = self->state;
  auto report = judge_health(
    input, {st.options.webhook_quiet, st.options.business_hours, st.zone}, system_clock::now());
  if (check_id < st.newest_concluded) {
    if (done)
      done(report.body.dump());
    return;
  }
  st.newest_concluded = check_id;
  if (st.options.metrics)
    set_gauges(*st.options.metrics, input, report);
  if (report.signature != st.last_signature) {
    if (!st.last_signature.empty())
      log::info("sync_health", "sync health changed",
                {{"status", report.body["status"]}, {"reason", report.body["reason"]}});
    st.last_signature = report.signature;
    if (auto hub = self->system().registry().get<hub_actor>(registry_keys::hub))
      self->send(hub, atoms::publish_atom_v, std::string("sync"),
                 json{{"event", "sync.health"}, {"data", report.body}}.dump());
  }
  if (done)
    done(report.body.dump());
}

// Asks the OpenPhone client for its circuit and error ratio; without a client (no API key)
// calls cannot fail: closed and 0.
void ask_provider(health_ptr self, std::uint64_t check_id,
                  std::shared_ptr<sync_health_input> input, reply done) {
  auto client = self->system().registry().get<openphone_client_actor>(registry_keys::openphone);
  if (!client)
    return conclude(self, check_id, *input, done);
  self->request(client, status_timeout, atoms::provider_health_atom_v)
    .then(
      [self, check_id, input, done](const std::string& circuit, double ratio,
                                    std::int64_t calls) {
        input->circuit = parse_circuit(circuit);
        input->error_ratio = ratio;
        input->provider_calls = calls;
        conclude(self, check_id, *input, done);
      },
      [self, check_id, input, done](caf::error&) { conclude(self, check_id, *input, done); });
}

void check(health_ptr self, reply done) {
  auto check_id = ++self->state.checks_started;
  auto from = std::max<std::int64_t>(0, self->state.scanned_through - rescan_overlap);
  run_statements(
    self, self->state.options.db_timeout,
    {storage::statement::named("webhook_sync_facts"),
     storage::statement::named("sync_phone_numbers"),
     storage::statement::named("webhook_events_newest_id"),
     storage::statement::named("webhook_number_activity", {std::to_string(from)}),
     storage::statement::named("latest_history_import"),
     storage::statement::named("latest_reconciliations")},
    [self, check_id, done](storage::pg_outcome& outcome) {
      if (!outcome.ok() || outcome.results.size() < 6 || outcome.results[0].rows.empty()) {
        if (outcome.error)
          log::warn("sync_health", "could not gather sync facts",
                    {{"code", outcome.error->code}, {"error", outcome.error->message}});
        if (done)
          done({});
        return;
      }
      auto input = std::make_shared<sync_health_input>(read_rows(self->state, outcome.results));
      ask_provider(self, check_id, std::move(input), done);
    });
}

caf::behavior health_behavior(health_ptr self, sync_health_options options) {
  self->state.options = std::move(options);
  // The zone was validated with the configuration; the fallback keeps a test's typo harmless.
  try {
    self->state.zone = date::locate_zone(self->state.options.time_zone);
  } catch (const std::runtime_error&) {
    self->state.zone = date::locate_zone("UTC");
  }
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
  return system.spawn(health_behavior, std::move(options));
}

}  // namespace crmd
