#pragma once

#include "actors/import_job_actor.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <string>

namespace crmd {

struct import_manager_options {
  std::string owner;  // this process's lease name, shared by its jobs
  std::chrono::milliseconds lease{30000};
  int concurrency = 4;
  std::chrono::milliseconds db_timeout{30000};
};

// Runs and resumes history imports. (start_atom, job id) makes sure a job actor runs that job
// here (the job row is created by app/import_jobs). At start-up and every lease period it resumes unfinished jobs no live process holds, so a job
// whose crmd died continues in whichever process is up. Job actors are monitored, not linked:
// a job that ends or loses its lease simply leaves the running set.
caf::actor spawn_import_manager(caf::actor_system& system, import_manager_options options);

}  // namespace crmd
