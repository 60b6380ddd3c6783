#include "actors/webhook_apply_actor.hpp"

#include "actors/applied_events.hpp"
#include "actors/interfaces.hpp"
#include "actors/webhook_metrics.hpp"
#include "storage/event_statements.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>

namespace crmd {

namespace {

struct waiting_group {
  apply_request request;
  caf::typed_response_promise<storage::pg_outcome> promise;
};

struct applier_state {
  static constexpr const char* name = "crmd.webhook_applier";
  webhook_apply_options options;
  std::deque<waiting_group> queue;
  int in_flight = 0;
  // Row names (domain::lock_names) the shared transactions in flight may hold, with how many
  // hold each: a group naming one waits for the next transaction rather than running beside
  // one it would wait for inside PostgreSQL.
  std::unordered_map<std::string, int> locked;
};

using applier_ptr = caf::stateful_actor<applier_state>*;

void pump(applier_ptr self);

// The rows of `applied` (row_id, conversation_id, frame) that belong to `group`. Rows without a
// row_id (one per touched conversation) are the batch's, handed to the first group so that
// they are published once.
storage::pg_outcome rows_of(const storage::pg_result& applied, const apply_request& group,
                            bool takes_shared_rows) {
  storage::pg_result mine;
  mine.columns = applied.columns;
  for (const auto& row : applied.rows)
    if (row[0] ? std::find(group.row_ids.begin(), group.row_ids.end(), std::stoll(*row[0]))
                   != group.row_ids.end()
               : takes_shared_rows)
      mine.rows.push_back(row);
  storage::pg_outcome outcome;
  outcome.results.push_back(std::move(mine));
  return outcome;
}

void observe_lag(applier_ptr self, const storage::pg_outcome& outcome) {
  auto* metrics = self->state.options.metrics;
  if (metrics != nullptr && outcome.ok() && !outcome.results.empty())
    observe_apply_lag(*metrics, outcome.results.front());
}

std::string merged_json(const std::vector<waiting_group>& groups) {
  std::string merged = "[";
  for (const auto& group : groups) {
    const auto& json = group.request.events_json;
    if (json.size() <= 2)
      continue;
    if (merged.size() > 1)
      merged += ',';
    merged.append(json, 1, json.size() - 2);
  }
  merged += ']';
  return merged;
}

bool holds_a_locked_row(const applier_state& state, const apply_request& request) {
  return std::any_of(request.locks.begin(), request.locks.end(),
                     [&](const std::string& name) { return state.locked.count(name) > 0; });
}

// Takes the queued groups that fit in one transaction and name no row a transaction in flight
// may hold, in queue order.
std::vector<waiting_group> take_batch(applier_state& state) {
  std::vector<waiting_group> groups;
  std::size_t events = 0;
  for (auto it = state.queue.begin(); it != state.queue.end();) {
    auto size = it->request.row_ids.size();
    if (!groups.empty() && events + size > state.options.max_batch_events)
      break;
    if (holds_a_locked_row(state, it->request)) {
      ++it;
      continue;
    }
    events += size;
    groups.push_back(std::move(*it));
    it = state.queue.erase(it);
  }
  return groups;
}

void lock(applier_state& state, const apply_request& request) {
  for (const auto& name : request.locks)
    ++state.locked[name];
}

void release(applier_state& state, const apply_request& request) {
  for (const auto& name : request.locks)
    if (auto it = state.locked.find(name); it != state.locked.end() && --it->second == 0)
      state.locked.erase(it);
}

// `locked`: the group's row names are in state.locked, to release with its outcome.
void run_alone(applier_ptr self, std::shared_ptr<waiting_group> group, bool locked) {
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db) {
    if (locked)
      release(self->state, group->request);
    group->promise.deliver(storage::pg_outcome{
      storage::pg_error{"database_unavailable", "", "no database actor"}, {}});
    return;
  }
  ++self->state.in_flight;
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{storage::apply_events(group->request.events_json)}})
    .then(
      [self, group, locked](storage::pg_outcome& outcome) {
        --self->state.in_flight;
        if (locked)
          release(self->state, group->request);
        observe_lag(self, outcome);
        group->promise.deliver(std::move(outcome));
        pump(self);
      },
      [self, group, locked](caf::error& error) {
        --self->state.in_flight;
        if (locked)
          release(self->state, group->request);
        group->promise.deliver(std::move(error));
        pump(self);
      });
}

void pump(applier_ptr self) {
  auto& state = self->state;
  while (state.in_flight < state.options.max_in_flight && !state.queue.empty()) {
    auto groups = std::make_shared<std::vector<waiting_group>>(take_batch(state));
    if (groups->empty())
      return;  // every waiting group names a row of a transaction in flight
    for (const auto& group : *groups)
      lock(state, group.request);
    if (groups->size() == 1) {
      run_alone(self, std::make_shared<waiting_group>(std::move(groups->front())), true);
      continue;
    }
    auto db = self->system().registry().get<db_actor>(registry_keys::db);
    if (!db) {
      for (auto& group : *groups) {
        release(state, group.request);
        group.promise.deliver(storage::pg_outcome{
          storage::pg_error{"database_unavailable", "", "no database actor"}, {}});
      }
      continue;
    }
    ++state.in_flight;
    self->request(db, state.options.db_timeout, atoms::execute_atom_v,
                  db_batch{{storage::apply_events(merged_json(*groups))}})
      .then(
        [self, groups](storage::pg_outcome& outcome) {
          --self->state.in_flight;
          for (const auto& group : *groups)
            release(self->state, group.request);
          if (outcome.ok()) {
            observe_lag(self, outcome);
            bool first = true;
            for (auto& group : *groups) {
              group.promise.deliver(rows_of(outcome.results.front(), group.request, first));
              first = false;
            }
          } else {
            // Find the group at fault (or let the race's losers retry) one group at a time.
            for (auto& group : *groups)
              run_alone(self, std::make_shared<waiting_group>(std::move(group)), false);
          }
          pump(self);
        },
        [self, groups](caf::error&) {
          --self->state.in_flight;
          for (const auto& group : *groups)
            release(self->state, group.request);
          for (auto& group : *groups)
            run_alone(self, std::make_shared<waiting_group>(std::move(group)), false);
          pump(self);
        });
  }
}

caf::behavior applier_behavior(applier_ptr self, webhook_apply_options options) {
  self->state.options = options;
  return {
    [self](atoms::apply_atom, apply_request& request) -> caf::result<storage::pg_outcome> {
      auto promise = self->make_response_promise<storage::pg_outcome>();
      self->state.queue.push_back({std::move(request), promise});
      pump(self);
      return promise;
    },
  };
}

}  // namespace

caf::actor spawn_webhook_apply_actor(caf::actor_system& system, webhook_apply_options options) {
  return system.spawn(applier_behavior, options);
}

}  // namespace crmd
