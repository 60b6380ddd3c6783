#include "actors/import_job_internal.hpp"

#include "actors/interfaces.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>

namespace crmd::import_job {

namespace {

// Write transactions in flight at once. On the 2-core target three beat two by 16 % (while one
// waits for its commit to reach the disk, two keep the cores busy); four gained nothing more.
constexpr int max_concurrent_writes = 3;
// Pages queued while writes are in flight go together in the next transaction.
constexpr std::size_t max_merged_commits = 16;

checkpoint_state snapshot(job_ptr self, std::int64_t pages, std::int64_t items) {
  auto& state = self->state;
  json cursor = domain::is_worklist_stage(state.stage) ? domain::to_json(state.cursor)
                                                        : json::object();
  return {stage_text(state.stage), cursor.dump(), state.page_token,
          domain::to_json(state.progress).dump(-1, ' ', false, json::error_handler_t::replace),
          pages, items};
}

// The checkpoint of `last`, counting the pages and items of every commit up to it.
statement checkpoint(job_ptr self, const checkpoint_state& last, std::int64_t pages,
                     std::int64_t items) {
  auto& options = self->state.options;
  return statement::named(
    "import_checkpoint",
    {std::to_string(options.job_id), options.owner, last.stage, last.cursor, last.page_token,
     std::to_string(pages), std::to_string(items), last.progress,
     std::to_string(options.lease.count())});
}

bool transient(const storage::pg_error& error) {
  if (error.sqlstate.empty())
    return true;  // the pool's own failures: connection lost, queue timeout
  auto cls = error.sqlstate.substr(0, 2);
  return cls == "08" || cls == "40" || cls == "53" || cls == "57";
}

void pump_writes(job_ptr self);

// Checkpoints the longest run of written commits at the front of the queue.
void pump_checkpoint(job_ptr self) {
  auto& state = self->state;
  if (state.checkpointing || state.over)
    return;
  std::size_t covered = 0;
  std::int64_t pages = 0, items = 0;
  while (covered < state.commits.size()
         && state.commits[covered].at == pending_commit::phase::written) {
    pages += state.commits[covered].checkpoint.pages;
    items += state.commits[covered].checkpoint.items;
    ++covered;
  }
  if (covered == 0)
    return;
  auto db = db_handle(self);
  if (!db) {
    retry_later(self, "database actor unavailable", [self] { pump_checkpoint(self); });
    return;
  }
  state.checkpointing = true;
  self->request(db, state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{checkpoint(self, state.commits[covered - 1].checkpoint, pages, items)}})
    .then(
      [self, covered](storage::pg_outcome& outcome) {
        auto& state = self->state;
        state.checkpointing = false;
        if (state.over)
          return;
        if (!outcome.ok()) {
          if (outcome.error->sqlstate == "P0002") {
            lose_lease(self);
            return;
          }
          retry_later(self, "checkpoint failed: " + outcome.error->code + " "
                              + outcome.error->sqlstate,
                      [self] { pump_checkpoint(self); });
          return;
        }
        state.failures = 0;
        std::vector<std::function<void()>> dones;
        for (std::size_t i = 0; i < covered; ++i) {
          dones.push_back(std::move(state.commits.front().done));
          state.commits.pop_front();
        }
        publish(self, "running", false);
        for (auto& done : dones)
          if (done)
            done();
        pump_checkpoint(self);
      },
      [self](caf::error& error) {
        self->state.checkpointing = false;
        retry_later(self, "checkpoint: " + caf::to_string(error),
                    [self] { pump_checkpoint(self); });
      });
}

// The commits of one write transaction, by their place in the queue (which only shrinks at
// the front, by checkpoints, and never past a commit that is not written).
struct write_batch {
  std::vector<pending_commit*> commits;
};

void on_written(job_ptr self, const write_batch& batch, storage::pg_outcome& outcome) {
  auto& state = self->state;
  if (outcome.ok()) {
    state.failures = 0;
    state.merge_commits = true;
    for (auto* commit : batch.commits)
      commit->at = pending_commit::phase::written;
    pump_checkpoint(self);
    pump_writes(self);
    return;
  }
  const auto& error = *outcome.error;
  if (!transient(error) && batch.commits.size() > 1) {
    // One of the pages is bad: write them one at a time to find it.
    state.merge_commits = false;
    for (auto* commit : batch.commits)
      commit->at = pending_commit::phase::queued;
    pump_writes(self);
    return;
  }
  if (!transient(error)) {
    // The page's data broke a rule: keep its checkpoint, drop its writes, say so.
    log::error("import", "a page could not be written",
               {{"job_id", state.options.job_id}, {"sqlstate", error.sqlstate}});
    state.progress.reject(stage_text(state.stage), "page", error.message);
    batch.commits.front()->at = pending_commit::phase::written;
    pump_checkpoint(self);
    pump_writes(self);
    return;
  }
  for (auto* commit : batch.commits)
    commit->at = pending_commit::phase::queued;
  retry_later(self, "commit failed: " + error.code + " " + error.sqlstate,
              [self] { pump_writes(self); });
}

void pump_writes(job_ptr self) {
  auto& state = self->state;
  while (!state.over && state.writing < max_concurrent_writes) {
    auto limit = state.merge_commits ? max_merged_commits : 1;
    auto batch = std::make_shared<write_batch>();
    std::vector<statement> statements;
    for (auto& commit : state.commits) {
      if (commit.at != pending_commit::phase::queued)
        continue;
      if (batch->commits.size() == limit)
        break;
      commit.at = pending_commit::phase::writing;
      batch->commits.push_back(&commit);
      statements.insert(statements.end(), commit.writes.begin(), commit.writes.end());
    }
    if (batch->commits.empty())
      return;
    auto db = db_handle(self);
    if (!db) {
      for (auto* commit : batch->commits)
        commit->at = pending_commit::phase::queued;
      retry_later(self, "database actor unavailable", [self] { pump_writes(self); });
      return;
    }
    ++state.writing;
    self->request(db, state.options.db_timeout, atoms::execute_atom_v,
                  db_batch{std::move(statements)})
      .then(
        [self, batch](storage::pg_outcome& outcome) {
          --self->state.writing;
          if (!self->state.over)
            on_written(self, *batch, outcome);
        },
        [self, batch](caf::error& error) {
          --self->state.writing;
          for (auto* commit : batch->commits)
            commit->at = pending_commit::phase::queued;
          retry_later(self, "commit: " + caf::to_string(error), [self] { pump_writes(self); });
        });
  }
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
  auto at = writes.empty() ? pending_commit::phase::written : pending_commit::phase::queued;
  self->state.commits.push_back(
    {snapshot(self, pages, items), std::move(writes), std::move(done), at});
  if (at == pending_commit::phase::written)
    pump_checkpoint(self);
  else
    pump_writes(self);
}

}  // namespace crmd::import_job
