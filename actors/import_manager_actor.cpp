#include "actors/import_manager_actor.hpp"

#include "observability/log.hpp"

#include <caf/all.hpp>

#include <map>

namespace crmd {

namespace {

struct import_manager_state {
  static constexpr const char* name = "crmd.import_manager";
  import_manager_options options;
  std::map<std::int64_t, caf::actor> running;  // job id → job actor in this process
  std::map<caf::actor_addr, std::int64_t> jobs_by_actor;
};

using manager_ptr = caf::stateful_actor<import_manager_state>*;

caf::actor db_handle(manager_ptr self) {
  return caf::actor_cast<caf::actor>(self->system().registry().get<db_actor>(registry_keys::db));
}

void run_job(manager_ptr self, std::int64_t job_id) {
  auto& state = self->state;
  if (state.running.count(job_id) > 0)
    return;
  auto client = self->system().registry().get<openphone_client_actor>(registry_keys::openphone);
  if (!client) {
    log::warn("import", "no OpenPhone client yet; the job waits for the next sweep",
              {{"job_id", job_id}});
    return;
  }
  auto job = spawn_import_job(self->system(),
                              {.job_id = job_id,
                               .owner = state.options.owner,
                               .lease = state.options.lease,
                               .concurrency = state.options.concurrency},
                              client);
  self->monitor(job);
  state.jobs_by_actor.emplace(job.address(), job_id);
  state.running.emplace(job_id, std::move(job));
}

void sweep(manager_ptr self) {
  auto db = db_handle(self);
  if (!db)
    return;
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{storage::statement::named("resumable_import_jobs")}})
    .then(
      [self](storage::pg_outcome& outcome) {
        if (!outcome.ok())
          return;
        for (const auto& row : outcome.results[0].rows)
          if (row[0])
            run_job(self, std::stoll(*row[0]));
      },
      [](caf::error&) {
        // The next sweep tries again.
      });
}

caf::behavior import_manager_behavior(manager_ptr self, import_manager_options options) {
  self->state.options = std::move(options);
  self->set_down_handler([self](caf::down_msg& down) {
    auto& state = self->state;
    auto it = state.jobs_by_actor.find(down.source);
    if (it == state.jobs_by_actor.end())
      return;
    state.running.erase(it->second);
    state.jobs_by_actor.erase(it);
  });
  self->set_exit_handler([self](caf::exit_msg& exit) {
    for (auto& [id, job] : self->state.running)
      self->send_exit(job, caf::exit_reason::user_shutdown);
    self->quit(exit.reason);
  });
  sweep(self);
  self->delayed_send(self, self->state.options.lease, atoms::tick_atom_v);
  return {
    [self](atoms::start_atom, std::int64_t job_id) { run_job(self, job_id); },
    [self](atoms::tick_atom) {
      sweep(self);
      self->delayed_send(self, self->state.options.lease, atoms::tick_atom_v);
    },
  };
}

}  // namespace

caf::actor spawn_import_manager(caf::actor_system& system, import_manager_options options) {
  return system.spawn(import_manager_behavior, std::move(options));
}

}  // namespace crmd
