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

// Commits queued while one is in flight go together in the next transaction (their checkpoints
// in order, so the last one wins): under load a transaction carries several pages.
constexpr std::size_t max_merged_commits = 16;

void pump_commits(job_ptr self) {
  auto& state = self->state;
  if (state.committing > 0 || state.commits.empty() || state.over)
    return;
  auto db = db_handle(self);
  if (!db) {
    retry_later(self, "database actor unavailable", [self] { pump_commits(self); });
    return;
  }
  auto take = state.merge_commits ? std::min(state.commits.size(), max_merged_commits) : 1;
  std::vector<statement> statements;
  for (std::size_t i = 0; i < take; ++i)
    statements.insert(statements.end(), state.commits[i].statements.begin(),
                      state.commits[i].statements.end());
  state.committing = take;
  self->request(db, state.options.db_timeout, atoms::execute_atom_v,
                db_batch{std::move(statements)})
    .then(
      [self](storage::pg_outcome& outcome) {
        auto& state = self->state;
        auto taken = state.committing;
        state.committing = 0;
        if (state.over)
          return;
        if (outcome.ok()) {
          state.failures = 0;
          state.merge_commits = true;
          std::vector<std::function<void()>> dones;
          for (std::size_t i = 0; i < taken; ++i) {
            dones.push_back(std::move(state.commits.front().done));
            state.commits.pop_front();
          }
          publish(self, "running", false);
          for (auto& done : dones)
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
        if (!transient(error) && taken > 1) {
          // One of the pages is bad: commit them one at a time to find it.
          state.merge_commits = false;
          pump_commits(self);
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
        self->state.committing = 0;
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
