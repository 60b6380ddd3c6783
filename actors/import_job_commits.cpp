#include "actors/import_job_internal.hpp"

#include "actors/interfaces.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>

namespace crmd::import_job {

namespace {

statement checkpoint(job_ptr self, std::int64_t pages, std::int64_t items) {
  auto& state = self->state;
  json cursor = domain::is_worklist_stage(state.stage) ? domain::to_json(state.cursor)
                                                        : json::object();
  return statement::named(
    "import_checkpoint",
    {std::to_string(state.options.job_id), state.options.owner, stage_text(state.stage),
     cursor.dump(), state.page_token, std::to_string(pages), std::to_string(items),
     domain::to_json(state.progress).dump(-1, ' ', false, json::error_handler_t::replace),
     std::to_string(state.options.lease.count())});
}

bool transient(const storage::pg_error& error) {
  if (error.sqlstate.empty())
    return true;  // the pool's own failures: connection lost, queue timeout
  auto cls = error.sqlstate.substr(0, 2);
  return cls == "08" || cls == "40" || cls == "53" || cls == "57";
}

void pump_commits(job_ptr self) {
  auto& state = self->state;
  if (state.committing || state.commits.empty() || state.over)
    return;
  auto db = db_handle(self);
  if (!db) {
    retry_later(self, "database actor unavailable", [self] { pump_commits(self); });
    return;
  }
  state.committing = true;
  auto batch = db_batch{state.commits.front().statements};
  self->request(db, state.options.db_timeout, atoms::execute_atom_v, std::move(batch))
    .then(
      [self](storage::pg_outcome& outcome) {
        auto& state = self->state;
        state.committing = false;
        if (state.over)
          return;
        if (outcome.ok()) {
          state.failures = 0;
          auto done = std::move(state.commits.front().done);
          state.commits.pop_front();
          publish(self, "running", false);
          if (done)
            done();
          pump_commits(self);
          return;
        }
        const auto& error = *outcome.error;
        if (error.sqlstate == "P0002") {
          lose_lease(self);
          return;
        }
        if (!transient(error)) {
          // The page's data broke a rule: keep the checkpoint, drop the writes, say so.
          log::error("import", "a page could not be written",
                     {{"job_id", state.options.job_id}, {"sqlstate", error.sqlstate}});
          state.progress.reject(stage_text(state.stage), "page", error.message);
          auto& front = state.commits.front();
          front.statements.resize(1);
        }
        retry_later(self, "commit failed: " + error.code + " " + error.sqlstate,
                    [self] { pump_commits(self); });
      },
      [self](caf::error& error) {
        self->state.committing = false;
        retry_later(self, "commit: " + caf::to_string(error), [self] { pump_commits(self); });
      });
}

}  // namespace

void advance(job_ptr self) {
  auto& state = self->state;
  state.stage = domain::next_stage(state.stage);
  state.cursor = {};
  state.page_token.reset();
  state.progress.stage_done = 0;
  state.progress.stage_total = 0;
}

void lose_lease(job_ptr self) {
  log::warn("import", "lease lost, stopping", {{"job_id", self->state.options.job_id}});
  self->state.over = true;
  self->quit(caf::make_error(caf::sec::runtime_error, "import lease lost"));
}

void commit(job_ptr self, std::vector<statement> writes, std::int64_t pages, std::int64_t items,
            std::function<void()> done) {
  std::vector<statement> statements;
  statements.push_back(checkpoint(self, pages, items));
  std::move(writes.begin(), writes.end(), std::back_inserter(statements));
  self->state.commits.push_back({std::move(statements), std::move(done)});
  pump_commits(self);
}

}  // namespace crmd::import_job
