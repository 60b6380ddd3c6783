#include "actors/reconciler_actor.hpp"

#include "actors/interfaces.hpp"
#include "actors/reconciler_metrics.hpp"
#include "domain/reconcile_report.hpp"
#include "domain/reconcile_schedule.hpp"
#include "observability/log.hpp"
#include "storage/event_statements.hpp"

#include <caf/all.hpp>
#include <date/tz.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace crmd {

namespace {

using nlohmann::json;
using storage::statement;
using namespace std::chrono_literals;

enum class phase { idle, beginning, paging, redriving, finishing };

struct reconciler_state {
  static constexpr const char* name = "crmd.reconciler";
  reconciler_options options;
  reconcile_metrics* metrics = nullptr;
  phase at = phase::idle;
  std::int64_t run_id = 0;
  std::int64_t job_id = 0;
  domain::import_progress progress;  // the job's, as last read
  std::string last_published;        // the interim report last stored, to store changes only
  std::vector<std::int64_t> redriven;
  std::chrono::steady_clock::time_point redrive_deadline;
  int failures = 0;
  std::int64_t retry_generation = 0;
  std::function<void()> retry;
  std::chrono::steady_clock::time_point started;
};

using reconciler_ptr = caf::stateful_actor<reconciler_state>*;

void begin(reconciler_ptr self);
void poll_job(reconciler_ptr self);
void redrive(reconciler_ptr self);
void poll_redrive(reconciler_ptr self);
void finish(reconciler_ptr self, const std::string& status, std::optional<std::string> error);

caf::actor db_handle(reconciler_ptr self) {
  return caf::actor_cast<caf::actor>(self->system().registry().get<db_actor>(registry_keys::db));
}

json log_fields(reconciler_ptr self) {
  return {{"reconciliation_id", self->state.run_id}, {"import_job_id", self->state.job_id}};
}

// Runs `step` again after a backoff (the database was unavailable or failed); a run is never
// failed for a database outage, it waits for the database.
void retry_later(reconciler_ptr self, const std::string& why, std::function<void()> step) {
  auto& state = self->state;
  ++state.failures;
  auto delay = std::min<std::chrono::milliseconds>(
    state.options.poll * (1LL << std::min(state.failures, 5)), 30s);
  auto fields = log_fields(self);
  fields["reason"] = why;
  fields["delay_ms"] = delay.count();
  log::warn("reconcile", "step failed, retrying", fields);
  state.retry = std::move(step);
  self->delayed_send(self, delay, atoms::retry_atom_v, ++state.retry_generation);
}

// One batch on the database; `on_ok` gets its outcome when it succeeded, otherwise `step` is
// retried later.
void query(reconciler_ptr self, std::vector<statement> batch, const char* what,
           std::function<void()> step, std::function<void(storage::pg_outcome&)> on_ok) {
  auto db = db_handle(self);
  if (!db) {
    retry_later(self, std::string(what) + ": database actor unavailable", std::move(step));
    return;
  }
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{std::move(batch)})
    .then(
      [self, what, step, on_ok](storage::pg_outcome& outcome) {
        if (!outcome.ok()) {
          retry_later(self, std::string(what) + ": " + outcome.error->message, step);
          return;
        }
        self->state.failures = 0;
        on_ok(outcome);
      },
      [self, what, step](caf::error& error) {
        retry_later(self, std::string(what) + ": " + caf::to_string(error), step);
      });
}

void publish(reconciler_ptr self, const char* event, const std::string& reconciliation) {
  auto hub = self->system().registry().get<hub_actor>(registry_keys::hub);
  auto data = json::parse(reconciliation, nullptr, false);
  if (!hub || data.is_discarded())
    return;
  json frame{{"event", event}, {"data", std::move(data)}};
  self->send(hub, atoms::publish_atom_v, std::string("sync"), frame.dump());
}

std::int64_t number(const storage::pg_value& value) {
  return value ? std::stoll(*value) : 0;
}

void run(reconciler_ptr self, std::int64_t id) {
  auto& state = self->state;
  if (state.at != phase::idle)
    return;  // one at a time; the active one is the only one there can be
  state.run_id = id;
  state.job_id = 0;
  state.progress = {};
  state.last_published.clear();
  state.redriven.clear();
  state.failures = 0;
  state.started = std::chrono::steady_clock::now();
  state.metrics->running(true);
  log::info("reconcile", "reconciliation started", log_fields(self));
  begin(self);
}

void begin(reconciler_ptr self) {
  auto& state = self->state;
  state.at = phase::beginning;
  query(self,
        {statement::named("begin_reconciliation",
                          {std::to_string(state.run_id),
                           std::to_string(state.options.overlap.count()),
                           std::to_string(state.options.lookback.count())})},
        "beginning", [self] { begin(self); },
        [self](storage::pg_outcome& outcome) {
          auto& state = self->state;
          const auto& rows = outcome.results[0].rows;
          if (rows.empty()) {
            log::warn("reconcile", "reconciliation already finished", log_fields(self));
            state.at = phase::idle;
            state.metrics->running(false);
            return;
          }
          if (rows[0][0]) {
            state.job_id = std::stoll(*rows[0][0]);
            state.at = phase::paging;
            if (auto manager = self->system().registry().get(registry_keys::imports))
              self->send(caf::actor_cast<caf::actor>(manager), atoms::start_atom_v, state.job_id);
            poll_job(self);
            return;
          }
          json options{{"since", rows[0][1].value_or("")}, {"reconciliation_id", state.run_id}};
          auto id = std::to_string(state.run_id);
          query(self,
                {statement::named("supersede_reconcile_jobs", {id}),
                 statement::named("create_reconcile_job", {id, options.dump()})},
                "creating the import job", [self] { begin(self); },
                [self](storage::pg_outcome& created) {
                  auto& state = self->state;
                  const auto& job = created.results[1].rows;
                  if (job.empty() || !job[0][0]) {
                    retry_later(self, "the import job could not be created",
                                [self] { begin(self); });
                    return;
                  }
                  state.job_id = std::stoll(*job[0][0]);
                  state.at = phase::paging;
                  log::info("reconcile", "paging OpenPhone", log_fields(self));
                  if (auto manager = self->system().registry().get(registry_keys::imports))
                    self->send(caf::actor_cast<caf::actor>(manager), atoms::start_atom_v,
                               state.job_id);
                  // Without a live manager its next sweep picks the job up.
                  poll_job(self);
                });
        });
}

// Stores and publishes the report so far when it changed (checked items, requests).
void publish_progress(reconciler_ptr self) {
  auto& state = self->state;
  auto report = domain::to_json(domain::make_reconcile_report(state.progress, {}, {}));
  report.erase("phone_numbers");  // stored at the beginning; kept by the merge
  auto text = report.dump();
  if (text == state.last_published)
    return;
  state.last_published = text;
  auto db = db_handle(self);
  if (!db)
    return;
  self->request(db, state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{statement::named("reconcile_progress",
                                           {std::to_string(state.run_id), text})}})
    .then(
      [self](storage::pg_outcome& outcome) {
        if (outcome.ok() && !outcome.results[0].rows.empty() && outcome.results[0].rows[0][0])
          publish(self, "reconcile.progress", *outcome.results[0].rows[0][0]);
      },
      [](caf::error&) {
        // Progress only: the next poll stores it again.
      });
}

void poll_job(reconciler_ptr self) {
  auto& state = self->state;
  query(self, {statement::named("reconcile_job_state", {std::to_string(state.job_id)})},
        "reading the import job", [self] { poll_job(self); },
        [self](storage::pg_outcome& outcome) {
          auto& state = self->state;
          const auto& rows = outcome.results[0].rows;
          if (rows.empty()) {
            finish(self, "failed", "the reconciliation's import job is gone");
            return;
          }
          auto status = rows[0][0].value_or("");
          state.progress = domain::progress_from_json(
            json::parse(rows[0][2].value_or("{}"), nullptr, false));
          if (status == "completed") {
            redrive(self);
            return;
          }
          if (status == "failed") {
            finish(self, "failed", rows[0][3].value_or("the import job failed"));
            return;
          }
          publish_progress(self);
          self->delayed_send(self, state.options.poll, atoms::redrive_atom_v, state.run_id);
        });
}

void redrive(reconciler_ptr self) {
  auto& state = self->state;
  state.at = phase::redriving;
  query(self,
        {statement::named("redrive_failed_webhook_events",
                          {std::to_string(state.options.redrive_limit)})},
        "re-driving failed webhook events", [self] { redrive(self); },
        [self](storage::pg_outcome& outcome) {
          auto& state = self->state;
          std::vector<statement> unparseable;
          std::vector<webhook_job> jobs;
          for (const auto& row : outcome.results[0].rows) {
            if (!row[0])
              continue;
            auto id = std::stoll(*row[0]);
            state.redriven.push_back(id);
            auto event = state.options.parse ? state.options.parse(row[1].value_or(""))
                                             : std::nullopt;
            if (!event)
              unparseable.push_back(storage::record_event_failure(
                id, "unparseable_payload", "stored payload is not understood", 1, 0));
            else
              jobs.push_back({id, std::move(*event)});
          }
          auto fields = log_fields(self);
          fields["events"] = state.redriven.size();
          log::info("reconcile", "re-driving failed webhook events", fields);
          if (!unparseable.empty())
            if (auto db = db_handle(self))
              self->send(db, atoms::execute_atom_v, db_batch{std::move(unparseable)});
          auto registry = self->system().registry().get(registry_keys::conversations);
          for (auto& job : jobs)
            if (registry)
              self->send(caf::actor_cast<caf::actor>(registry), atoms::apply_atom_v,
                         std::move(job));
          // Without a live registry the periodic re-drive applies them: they are stored as
          // received.
          if (state.redriven.empty()) {
            finish(self, "completed", std::nullopt);
            return;
          }
          state.redrive_deadline = std::chrono::steady_clock::now() + state.options.redrive_wait;
          self->delayed_send(self, std::min(state.options.poll, 200ms), atoms::redrive_atom_v,
                             state.run_id);
        });
}

void poll_redrive(reconciler_ptr self) {
  auto& state = self->state;
  json ids = state.redriven;
  query(self, {statement::named("redrive_status", {ids.dump()})}, "reading re-driven events",
        [self] { poll_redrive(self); },
        [self](storage::pg_outcome& outcome) {
          auto& state = self->state;
          const auto& row = outcome.results[0].rows.at(0);
          auto waiting = number(row[1]);
          if (waiting > 0 && std::chrono::steady_clock::now() < state.redrive_deadline) {
            self->delayed_send(self, std::min(state.options.poll, 200ms), atoms::redrive_atom_v,
                               state.run_id);
            return;
          }
          finish(self, "completed", std::nullopt);
        });
}

void finish(reconciler_ptr self, const std::string& status, std::optional<std::string> error) {
  auto& state = self->state;
  state.at = phase::finishing;
  auto step = [self, status, error] { finish(self, status, error); };
  json ids = state.redriven;
  query(
    self,
    {statement::named("reconcile_outcome", {std::to_string(state.run_id)}),
     statement::named("redrive_status", {ids.dump()})},
    "gathering the report", step,
    [self, status, error, step](storage::pg_outcome& outcome) {
      auto& state = self->state;
      const auto& gaps = outcome.results[0].rows.at(0);
      const auto& events = outcome.results[1].rows.at(0);
      domain::redrive_outcome redriven{static_cast<std::int64_t>(state.redriven.size()),
                                       number(events[0]), number(gaps[2])};
      auto report = domain::make_reconcile_report(state.progress,
                                                  {number(gaps[0]), number(gaps[1])}, redriven);
      auto body = domain::to_json(report);
      body.erase("phone_numbers");  // the query lists each number's window
      query(
        self,
        {statement::named("finish_reconciliation",
                          {std::to_string(state.run_id), status, error, body.dump()})},
        "storing the report", step, [self, status, error, report](storage::pg_outcome& done) {
          auto& state = self->state;
          bool completed = status == "completed";
          auto unix_now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
          state.metrics->finished(completed, report.missing_found.messages,
                                  report.missing_found.calls,
                                  static_cast<std::int64_t>(state.redriven.size()), unix_now);
          state.metrics->running(false);
          auto fields = log_fields(self);
          fields["status"] = status;
          fields["missing_messages"] = report.missing_found.messages;
          fields["missing_calls"] = report.missing_found.calls;
          fields["checked_messages"] = report.checked.messages;
          fields["checked_calls"] = report.checked.calls;
          fields["events_fixed"] = report.fixed_webhook_events;
          fields["events_still_failing"] = report.still_failing_webhook_events;
          fields["requests"] = report.requests;
          fields["elapsed_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now()
                                                              - state.started)
                                  .count();
          if (error)
            fields["error"] = *error;
          if (completed)
            log::info("reconcile", "reconciliation finished", fields);
          else
            log::error("reconcile", "reconciliation failed", fields);
          const auto& rows = done.results[0].rows;
          if (!rows.empty() && rows[0][0])
            publish(self, "reconcile.finished", *rows[0][0]);
          state.at = phase::idle;
        });
    });
}

// Creates the scheduled run (or joins the one already active) and runs it.
void scheduled(reconciler_ptr self) {
  auto db = db_handle(self);
  if (!db) {
    log::warn("reconcile", "scheduled reconciliation skipped: database actor unavailable");
    return;
  }
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{statement::named("create_reconciliation", {"schedule"}),
                          statement::named("find_active_reconciliation")}})
    .then(
      [self](storage::pg_outcome& outcome) {
        if (!outcome.ok() || outcome.results[1].rows.empty() || !outcome.results[1].rows[0][0]) {
          log::error("reconcile", "scheduled reconciliation could not be created",
                     {{"error", outcome.ok() ? "no row" : outcome.error->message}});
          return;
        }
        run(self, std::stoll(*outcome.results[1].rows[0][0]));
      },
      [](caf::error& error) {
        log::error("reconcile", "scheduled reconciliation could not be created",
                   {{"error", caf::to_string(error)}});
      });
}

void schedule_next(reconciler_ptr self) {
  const auto& options = self->state.options;
  if (!options.reconcile_at)
    return;
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(options.time_zone);
  } catch (const std::runtime_error& error) {
    log::error("reconcile", "no schedule: unknown time zone",
               {{"time_zone", options.time_zone}, {"error", error.what()}});
    return;
  }
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto at = domain::next_reconcile_at(now, *options.reconcile_at, zone);
  log::info("reconcile", "next reconciliation scheduled",
            {{"at", date::format("%FT%TZ", at)}, {"time_zone", options.time_zone}});
  // A delay rather than a deadline: CAF's clock is steady, so a wall-clock jump shifts the run
  // by that much, and the next one is computed afresh from the wall clock.
  self->delayed_send(self, at - now, atoms::tick_atom_v);
}

void startup(reconciler_ptr self) {
  auto db = db_handle(self);
  if (!db) {
    self->delayed_send(self, 1s, atoms::retry_atom_v, std::int64_t{-1});
    return;
  }
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{statement::named("reconciler_startup")}})
    .then(
      [self](storage::pg_outcome& outcome) {
        if (!outcome.ok()) {
          self->delayed_send(self, 5s, atoms::retry_atom_v, std::int64_t{-1});
          return;
        }
        const auto& row = outcome.results[0].rows.at(0);
        self->state.metrics->last_success(number(row[1]));
        if (row[0]) {
          log::info("reconcile", "resuming the unfinished reconciliation",
                    {{"reconciliation_id", std::stoll(*row[0])}});
          run(self, std::stoll(*row[0]));
        }
      },
      [self](caf::error&) { self->delayed_send(self, 5s, atoms::retry_atom_v, std::int64_t{-1}); });
}

caf::behavior reconciler_behavior(reconciler_ptr self, reconciler_options options,
                                  reconcile_metrics* metrics) {
  self->state.options = std::move(options);
  self->state.metrics = metrics;
  metrics->running(false);
  startup(self);
  schedule_next(self);
  return {
    [self](atoms::start_atom, std::int64_t id) { run(self, id); },
    [self](atoms::tick_atom) {
      scheduled(self);
      schedule_next(self);
    },
    [self](atoms::redrive_atom, std::int64_t id) {
      auto& state = self->state;
      if (id != state.run_id)
        return;
      if (state.at == phase::paging)
        poll_job(self);
      else if (state.at == phase::redriving)
        poll_redrive(self);
    },
    [self](atoms::retry_atom, std::int64_t generation) {
      auto& state = self->state;
      if (generation == -1) {
        startup(self);
        return;
      }
      if (generation != state.retry_generation || !state.retry)
        return;
      auto step = std::move(state.retry);
      state.retry = nullptr;
      step();
    },
  };
}

}  // namespace

caf::actor spawn_reconciler(caf::actor_system& system, reconciler_options options,
                            reconcile_metrics& metrics) {
  return system.spawn(reconciler_behavior, std::move(options), &metrics);
}

}  // namespace crmd
