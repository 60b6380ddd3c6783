#include "actors/conversation_actor.hpp"

#include "actors/applied_events.hpp"
#include "actors/webhook_metrics.hpp"
#include "domain/backoff.hpp"
#include "domain/webhook_routing.hpp"
#include "observability/log.hpp"
#include "storage/event_statements.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <random>

namespace crmd {

namespace {

struct conversation_state {
  static constexpr const char* name = "crmd.conversation";
  std::string key;
  caf::actor registry;
  conversation_options options;
  webhook_metrics* metrics = nullptr;
  std::deque<webhook_job> queue;
  std::map<std::int64_t, webhook_job> waiting;  // failed once, retry scheduled
  std::map<std::int64_t, int> transient_failures;
  std::size_t solo = 0;  // after a failed group: this many jobs are applied one at a time
  bool busy = false;
  // Seeded on the first retry: most actors never retry, and seeding costs a system call.
  std::optional<std::minstd_rand> random;
};

using conversation_ptr = caf::stateful_actor<conversation_state>*;

void next(conversation_ptr self);

std::chrono::milliseconds retry_delay(conversation_ptr self, int failures) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto& random = self->state.random;
  if (!random)
    random.emplace(std::random_device{}());
  auto& options = self->state.options;
  // Never retry sooner than the minimum: full jitter above a floor.
  return options.retry_min
         + domain::full_jitter_delay(failures, options.retry_min, options.retry_max,
                                     unit(*random));
}

void finish(conversation_ptr self, std::int64_t row_id) {
  self->state.transient_failures.erase(row_id);
  self->send(self->state.registry, atoms::applied_atom_v, row_id, self->state.key);
}

void schedule_retry(conversation_ptr self, webhook_job job, std::chrono::milliseconds delay) {
  auto row_id = job.row_id;
  self->state.waiting.emplace(row_id, std::move(job));
  self->delayed_send(self, delay, atoms::retry_atom_v, row_id);
  self->state.metrics->applied("retry_scheduled").Increment();
}

// The event itself failed (a constraint, bad data): count an attempt in the database.
void record_failure(conversation_ptr self, webhook_job job, const storage::pg_error& error) {
  int failures = ++self->state.transient_failures[job.row_id];
  auto delay = retry_delay(self, failures);
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  auto code = error.sqlstate.empty() ? error.code : "sqlstate_" + error.sqlstate;
  log::warn("conversation", "applying an event failed",
            {{"row_id", job.row_id}, {"code", code}, {"key", self->state.key}});
  auto batch = db_batch{{storage::record_event_failure(job.row_id, code, error.message,
                                                       self->state.options.max_attempts,
                                                       delay.count())}};
  auto shared_job = std::make_shared<webhook_job>(std::move(job));
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v, std::move(batch))
    .then(
      [self, shared_job, delay](storage::pg_outcome& outcome) {
        bool dead = outcome.ok() && !outcome.results.empty()
                    && !outcome.results[0].rows.empty()
                    && outcome.results[0].rows[0][0] == "dead";
        if (dead) {
          log::error("conversation", "event is dead after its last attempt",
                     {{"row_id", shared_job->row_id}, {"key", self->state.key}});
          self->state.metrics->applied("dead").Increment();
          finish(self, shared_job->row_id);
        } else {
          schedule_retry(self, std::move(*shared_job), delay);
        }
      },
      [self, shared_job, delay](caf::error&) { schedule_retry(self, std::move(*shared_job), delay); });
}

// Jobs applied in one transaction.
struct job_group {
  std::vector<webhook_job> jobs;
};

void retry_transient(conversation_ptr self, webhook_job job) {
  // The database is unreachable or busy: not the event's fault, so no attempt is counted.
  int failures = ++self->state.transient_failures[job.row_id];
  schedule_retry(self, std::move(job), retry_delay(self, failures));
}

void on_group_applied(conversation_ptr self, job_group& group, storage::pg_outcome& outcome) {
  auto& jobs = group.jobs;
  if (outcome.ok()) {
    if (!outcome.results.empty())
      publish_applied_frames(self, outcome.results.front());
    for (const auto& job : jobs) {
      self->state.metrics->applied("processed").Increment();
      finish(self, job.row_id);
    }
    if (std::any_of(jobs.begin(), jobs.end(),
                    [](const webhook_job& job) { return is_inbound_text(job.event); }))
      nudge_reply_processor(self);
    return;
  }
  if (outcome.error->code != "query_failed") {
    for (auto& job : jobs)
      retry_transient(self, std::move(job));
    return;
  }
  // Deadlock or serialization failure (class 40): the transaction lost a race, the events are fine.
  bool lost_a_race = outcome.error->sqlstate.rfind("40", 0) == 0;
  if (jobs.size() == 1) {
    if (lost_a_race)
      retry_transient(self, std::move(jobs.front()));
    else
      record_failure(self, std::move(jobs.front()), *outcome.error);
    return;
  }
  // One event of the group is bad, and the whole transaction rolled back: apply these one by one
  // so the bad one is found and the others go through.
  self->state.solo = jobs.size();
  for (auto it = jobs.rbegin(); it != jobs.rend(); ++it)
    self->state.queue.push_front(std::move(*it));
}

void next(conversation_ptr self) {
  auto& state = self->state;
  if (state.busy || state.queue.empty())
    return;
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db) {
    retry_transient(self, std::move(state.queue.front()));
    state.queue.pop_front();
    next(self);
    return;
  }
  // Events queued for one conversation go in one transaction: under load one commit covers many.
  auto limit = state.solo > 0 ? std::size_t{1} : state.options.max_group;
  auto group = std::make_shared<job_group>();
  apply_request request;
  while (!state.queue.empty() && group->jobs.size() < limit) {
    request.row_ids.push_back(state.queue.front().row_id);
    for (auto& name : domain::lock_names(state.queue.front().event))
      request.locks.push_back(std::move(name));
    group->jobs.push_back(std::move(state.queue.front()));
    state.queue.pop_front();
  }
  std::vector<storage::stored_event> events;
  for (const auto& job : group->jobs)
    events.push_back({job.row_id, &job.event});
  request.events_json = storage::apply_events_json(events);
  if (state.solo > 0)
    --state.solo;
  state.busy = true;
  auto on_outcome = [self, group](storage::pg_outcome& outcome) {
    self->state.busy = false;
    on_group_applied(self, *group, outcome);
    next(self);
  };
  auto on_error = [self, group](caf::error&) {
    self->state.busy = false;
    for (auto& job : group->jobs)
      retry_transient(self, std::move(job));
    next(self);
  };
  // The applier shares transactions between conversations; without it (tests that run
  // conversation actors alone) the group goes to the database on its own.
  if (auto applier = self->system().registry().get(registry_keys::applier)) {
    self->request(caf::actor_cast<caf::actor>(applier), state.options.db_timeout,
                  atoms::apply_atom_v, std::move(request))
      .then(on_outcome, on_error);
    return;
  }
  self->request(db, state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{storage::apply_events(std::move(request.events_json))}})
    .then(on_outcome, on_error);
}

caf::behavior conversation_behavior(conversation_ptr self, caf::actor registry, std::string key,
                                    conversation_options options, webhook_metrics* metrics) {
  self->state.registry = std::move(registry);
  self->state.key = std::move(key);
  self->state.options = options;
  self->state.metrics = metrics;
  return {
    [self](atoms::apply_atom, webhook_job& job) {
      self->state.queue.push_back(std::move(job));
      next(self);
    },
    [self](atoms::retry_atom, std::int64_t row_id) {
      auto it = self->state.waiting.find(row_id);
      if (it == self->state.waiting.end())
        return;
      self->state.queue.push_back(std::move(it->second));
      self->state.waiting.erase(it);
      next(self);
    },
    [self](atoms::passivate_atom) { self->quit(); },
  };
}

}  // namespace

caf::actor spawn_conversation_actor(caf::local_actor* registry, std::string key,
                                    conversation_options options, webhook_metrics& metrics) {
  return registry->spawn<caf::monitored>(
    conversation_behavior, caf::actor_cast<caf::actor>(registry), std::move(key), options,
    &metrics);
}

}  // namespace crmd
