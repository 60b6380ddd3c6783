#pragma once

#include "actors/interfaces.hpp"
#include "actors/openphone_client_types.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace crmd {

struct import_job_options {
  std::int64_t job_id = 0;
  std::string owner;  // this process's lease name
  std::chrono::milliseconds lease{30000};
  int concurrency = 4;  // work-list items (conversations, calls) in flight
  std::chrono::milliseconds db_timeout{60000};
  std::chrono::milliseconds retry_min{1000};
  std::chrono::milliseconds retry_max{60000};
  int max_failures = 10;  // consecutive failures of one step before the job fails
};

// Runs one OpenPhone history import (import_jobs.id = job_id) from its checkpoint to the end,
// through the stages of domain/import_plan.hpp: phone numbers → users → conversations →
// messages and calls per conversation → call details (recordings, summaries, transcripts,
// voicemails) → contacts → conversation metadata → verification. Each page's writes commit in
// one transaction with the job's checkpoint (cursor, page token, progress), so a crash resumes
// exactly where the last commit left off; writes are keyed by provider ids, so repeating a page
// changes nothing. Calls OpenPhone only through `client`, whose token bucket paces everything.
// Publishes {"event":"import.progress"} on the hub topic "imports". The job holds a lease it
// renews; losing it (another process took over) stops the actor without touching the row.
// Quits normally when the job completed or failed (the row says which), with an error when it
// could not claim or lost the job.
caf::actor spawn_import_job(caf::actor_system& system, import_job_options options,
                            openphone_client_actor client);

}  // namespace crmd
