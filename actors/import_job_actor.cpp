#include "actors/import_job_internal.hpp"

#include "domain/backoff.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>

#include <limits>

namespace crmd::import_job {

namespace {

constexpr std::chrono::milliseconds publish_interval{250};

void verify(job_ptr self) {
  auto db = db_handle(self);
  if (!db) {
    retry_later(self, "database actor unavailable", [self] { verify(self); });
    return;
  }
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{statement::named("import_database_totals", {self->state.since})}})
    .then(
      [self](storage::pg_outcome& outcome) {
        if (!outcome.ok() || outcome.results[0].rows.empty()) {
          retry_later(self, "verification query failed", [self] { verify(self); });
          return;
        }
        auto totals = json::parse(outcome.results[0].rows[0][0].value_or("{}"), nullptr, false);
        auto report = domain::verification_report(self->state.progress, totals);
        report["progress"] = domain::to_json(self->state.progress);
        report["elapsed_s"] = elapsed_seconds(self);
        finish(self, "completed", std::nullopt, report);
      },
      [self](caf::error& error) {
        retry_later(self, "verification: " + caf::to_string(error), [self] { verify(self); });
      });
}

void claim(job_ptr self) {
  auto& state = self->state;
  auto db = db_handle(self);
  if (!db) {
    retry_later(self, "database actor unavailable", [self] { claim(self); });
    return;
  }
  self->request(db, state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{statement::named("claim_import_job",
                                           {std::to_string(state.options.job_id),
                                            state.options.owner,
                                            std::to_string(state.options.lease.count())})}})
    .then(
      [self](storage::pg_outcome& outcome) {
        auto& state = self->state;
        if (!outcome.ok()) {
          retry_later(self, "claiming: " + outcome.error->message, [self] { claim(self); });
          return;
        }
        if (outcome.results[0].rows.empty()) {
          log::warn("import", "job is finished or held by another process",
                    {{"job_id", state.options.job_id}});
          state.over = true;
          self->quit(caf::make_error(caf::sec::runtime_error, "import job not claimable"));
          return;
        }
        const auto& row = outcome.results[0].rows[0];
        state.stage = domain::stage_from_name(row[0].value_or("")).value_or(
          import_stage::phone_numbers);
        state.cursor = domain::worklist_from_json(json::parse(row[1].value_or("{}"), nullptr, false));
        state.page_token = row[2];
        auto options = json::parse(row[5].value_or("{}"), nullptr, false);
        if (options.is_object() && options.contains("since") && options["since"].is_string())
          state.since = options["since"].get<std::string>();
        if (options.is_object() && options.contains("reconciliation_id")
            && options["reconciliation_id"].is_number_integer())
          state.reconciliation_id = options["reconciliation_id"].get<std::int64_t>();
        state.mms_media = options.is_object() && options.contains("mms_media")
                          && options["mms_media"].is_boolean() && options["mms_media"].get<bool>();
        state.progress =
          domain::progress_from_json(json::parse(row[6].value_or("{}"), nullptr, false));
        log::info("import", "job claimed",
                  {{"job_id", state.options.job_id}, {"stage", stage_text(state.stage)},
                   {"owner", state.options.owner}});
        self->delayed_send(self, state.options.lease / 3, atoms::tick_atom_v);
        start_stage(self);
      },
      [self](caf::error& error) {
        retry_later(self, "claiming: " + caf::to_string(error), [self] { claim(self); });
      });
}

void renew_lease(job_ptr self) {
  auto& state = self->state;
  auto db = db_handle(self);
  if (!db || state.over)
    return;
  self->request(db, state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{statement::named("renew_import_lease",
                                           {std::to_string(state.options.job_id),
                                            state.options.owner,
                                            std::to_string(state.options.lease.count())})}})
    .then(
      [self](storage::pg_outcome& outcome) {
        if (outcome.ok() && outcome.results[0].rows.empty() && !self->state.over)
          lose_lease(self);
      },
      [](caf::error&) {
        // A missed renewal is retried at the next tick; the lease outlives three of them.
      });
}

caf::behavior import_job_behavior(job_ptr self, import_job_options options,
                                  openphone_client_actor client) {
  self->state.options = std::move(options);
  self->state.client = std::move(client);
  claim(self);
  return {
    [self](atoms::retry_atom, std::int64_t key) {
      auto it = self->state.retries.find(static_cast<std::uint64_t>(key));
      if (it == self->state.retries.end() || self->state.over)
        return;
      auto step = std::move(it->second);
      self->state.retries.erase(it);
      step();
    },
    [self](atoms::tick_atom) {
      if (self->state.over)
        return;
      renew_lease(self);
      self->delayed_send(self, self->state.options.lease / 3, atoms::tick_atom_v);
    },
  };
}

}  // namespace

caf::actor db_handle(job_ptr self) {
  return caf::actor_cast<caf::actor>(self->system().registry().get<db_actor>(registry_keys::db));
}

std::string stage_text(import_stage stage) {
  return std::string(domain::stage_name(stage));
}

double elapsed_seconds(job_ptr self) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - self->state.started)
    .count();
}

void publish(job_ptr self, const std::string& status, bool force) {
  auto now = std::chrono::steady_clock::now();
  if (!force && now - self->state.last_publish < publish_interval)
    return;
  self->state.last_publish = now;
  auto hub = self->system().registry().get<hub_actor>(registry_keys::hub);
  if (!hub)
    return;
  json data{{"id", self->state.options.job_id},
            {"status", status},
            {"stage", stage_text(self->state.stage)},
            {"elapsed_s", elapsed_seconds(self)},
            {"progress", domain::to_json(self->state.progress)}};
  if (domain::is_worklist_stage(self->state.stage))
    data["active_items"] = self->state.running.size();
  json frame{{"event", "import.progress"}, {"data", std::move(data)}};
  caf::anon_send(hub, atoms::publish_atom_v, std::string("imports"), frame.dump());
}

void retry_later(job_ptr self, const std::string& why, std::function<void()> step) {
  auto& state = self->state;
  if (++state.failures > state.options.max_failures) {
    fail_job(self, why);
    return;
  }
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto delay = state.options.retry_min
               + domain::full_jitter_delay(state.failures, state.options.retry_min,
                                           state.options.retry_max, unit(state.random));
  log::warn("import", "step failed, retrying",
            {{"job_id", state.options.job_id}, {"stage", stage_text(state.stage)},
             {"reason", why}, {"delay_ms", delay.count()}, {"failures", state.failures}});
  auto key = ++state.next_retry;
  state.retries.emplace(key, std::move(step));
  self->delayed_send(self, delay, atoms::retry_atom_v, static_cast<std::int64_t>(key));
}

void finish(job_ptr self, const std::string& status, const std::optional<std::string>& error,
            const json& report) {
  auto& state = self->state;
  auto db = db_handle(self);
  if (!db) {
    retry_later(self, "database actor unavailable",
                [self, status, error, report] { finish(self, status, error, report); });
    return;
  }
  auto batch = db_batch{{statement::named(
    "finish_import_job",
    {std::to_string(state.options.job_id), state.options.owner, status, error,
     report.is_null() ? std::nullopt : std::optional<std::string>(report.dump())})}};
  self->request(db, state.options.db_timeout, atoms::execute_atom_v, std::move(batch))
    .then(
      [self, status, error, report](storage::pg_outcome& outcome) {
        if (!outcome.ok()) {
          retry_later(self, "finishing: " + outcome.error->message,
                      [self, status, error, report] { finish(self, status, error, report); });
          return;
        }
        if (outcome.results[0].rows.empty()) {
          lose_lease(self);
          return;
        }
        log::info("import", "import finished",
                  {{"job_id", self->state.options.job_id}, {"status", status},
                   {"requests", self->state.progress.requests},
                   {"elapsed_s", elapsed_seconds(self)}});
        publish(self, status, true);
        self->state.over = true;
        self->quit();
      },
      [self, status, error, report](caf::error& failure) {
        retry_later(self, "finishing: " + caf::to_string(failure),
                    [self, status, error, report] { finish(self, status, error, report); });
      });
}

void fail_job(job_ptr self, const std::string& error) {
  log::error("import", "import failed",
             {{"job_id", self->state.options.job_id}, {"stage", stage_text(self->state.stage)},
              {"error", error}});
  self->state.failures = 0;
  self->state.options.max_failures = std::numeric_limits<int>::max();  // finishing must land
  finish(self, "failed", error, json());
}

void start_stage(job_ptr self) {
  auto& state = self->state;
  if (state.over)
    return;
  log::info("import", "stage started",
            {{"job_id", state.options.job_id}, {"stage", stage_text(state.stage)}});
  publish(self, "running", true);
  switch (state.stage) {
    case import_stage::phone_numbers:
    case import_stage::users:
    case import_stage::conversations:
    case import_stage::contact_matching:
      fetch_paged(self);
      return;
    case import_stage::message_media:
      if (!state.mms_media) {
        advance(self);
        commit(self, {}, 0, 0, [self] { start_stage(self); });
        return;
      }
      start_worklist(self);
      return;
    case import_stage::messages:
    case import_stage::calls:
    case import_stage::call_details:
      load_our_numbers(self, [self] { start_worklist(self); });
      return;
    case import_stage::conversation_metadata:
      advance(self);
      commit(self, {statement::named("import_finish_conversations")}, 0, 0,
             [self] { start_stage(self); });
      return;
    case import_stage::verification:
    case import_stage::done:
      verify(self);
      return;
  }
}

}  // namespace crmd::import_job

namespace crmd {

caf::actor spawn_import_job(caf::actor_system& system, import_job_options options,
                            openphone_client_actor client) {
  return system.spawn(import_job::import_job_behavior, std::move(options), std::move(client));
}

}  // namespace crmd
