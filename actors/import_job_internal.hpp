#pragma once

// Internal to the import job actor, whose work is split by concern over import_job_*.cpp:
// lifecycle (actor), commits (checkpointed transactions), provider calls, paged stages and
// work-list stages. Not for other components: they use import_job_actor.hpp.
#include "actors/import_job_actor.hpp"
#include "domain/import_plan.hpp"
#include "integrations/openphone/rest_activities.hpp"
#include "integrations/openphone/rest_envelope.hpp"
#include "storage/pg_types.hpp"

#include <caf/stateful_actor.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace crmd::import_job {

using nlohmann::json;
using domain::import_stage;
namespace op = integrations::openphone;
using storage::statement;

// One conversation (messages and calls stages) or one call (call-details stage) being imported.
struct work_item {
  std::int64_t id = 0;
  std::string phone_number_id;
  std::vector<std::string> participants;
  std::string activity_id;  // AC… of the call or message (details and media stages)
  bool answered = false;
  std::optional<std::string> token;  // the next page to fetch
};

// Where the job stood when a page was queued: what its checkpoint records.
struct checkpoint_state {
  std::string stage;
  std::string cursor;  // JSON
  std::optional<std::string> page_token;
  std::string progress;  // JSON
  std::int64_t pages = 0;
  std::int64_t items = 0;
};

// A page's writes and the checkpoint that may follow them once they and every page queued
// before them are written.
struct pending_commit {
  enum class phase { queued, writing, written };
  checkpoint_state checkpoint;
  std::vector<statement> writes;
  std::function<void()> done;
  phase at = phase::queued;
};

struct import_job_state {
  static constexpr const char* name = "crmd.import_job";
  import_job_options options;
  openphone_client_actor client;
  import_stage stage = import_stage::phone_numbers;
  std::optional<std::string> page_token;
  domain::worklist_cursor cursor;  // what the next checkpoint records
  domain::import_progress progress;
  std::optional<std::string> since;
  // A reconciliation's job (options.reconciliation_id): its activity writes record what they
  // insert as that reconciliation's gaps (V017); its messages and calls stages page only the
  // conversations its listing returned (V018).
  std::optional<std::int64_t> reconciliation_id;
  bool mms_media = false;  // the optional message-media stage runs
  op::rest_options mapping;
  std::map<std::int64_t, work_item> running;
  std::deque<work_item> backlog;
  std::int64_t listed_up_to = 0;
  bool list_exhausted = false;
  bool listing = false;
  std::deque<pending_commit> commits;  // queued, not yet covered by a durable checkpoint
  int writing = 0;             // write transactions in flight
  bool checkpointing = false;  // a checkpoint transaction is in flight
  bool merge_commits = true;   // false after a merged transaction failed on bad data
  int failures = 0;
  std::uint64_t next_retry = 0;
  std::map<std::uint64_t, std::function<void()>> retries;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_publish{};
  std::minstd_rand random{std::random_device{}()};
  bool over = false;
};

using job_ptr = caf::stateful_actor<import_job_state>*;

// Lifecycle (import_job_actor.cpp)
caf::actor db_handle(job_ptr self);
std::string stage_text(import_stage stage);
double elapsed_seconds(job_ptr self);
// Publishes progress on the hub topic "imports", at most every 250 ms unless forced.
void publish(job_ptr self, const std::string& status, bool force);
// Runs `step` again after a backoff; too many consecutive failures fail the job.
void retry_later(job_ptr self, const std::string& why, std::function<void()> step);
void start_stage(job_ptr self);
void finish(job_ptr self, const std::string& status, const std::optional<std::string>& error,
            const json& report);
void fail_job(job_ptr self, const std::string& error);

// Commits (import_job_commits.cpp)
// The next stage starts from scratch; the checkpoint queued next records it.
void advance(job_ptr self);
// Queues the page's writes and a checkpoint of the state as it is now. Writes of several pages
// commit concurrently (a few PostgreSQL backends at once); the checkpoint, in its own transaction,
// only ever advances over pages whose writes are all committed, so a restart redoes at most
// the pages after it (upserts: nothing doubles). `done` runs once the checkpoint covers the page.
void commit(job_ptr self, std::vector<statement> writes, std::int64_t pages, std::int64_t items,
            std::function<void()> done);
void lose_lease(job_ptr self);

// Provider calls (import_job_provider.cpp). `on_answer(status, body)` gets 2xx and 404 answers;
// failures are retried, except a 4xx that concerns only this request, which goes to
// `on_rejected`, and a refused key, which fails the job.
void call_provider(job_ptr self, provider_request request,
                   std::function<void(int, std::string&)> on_answer,
                   std::function<void(const provider_failure&)> on_rejected);

// Stages (import_job_paged.cpp, import_job_worklist.cpp)
void fetch_paged(job_ptr self);
void load_our_numbers(job_ptr self, std::function<void()> then);
void start_worklist(job_ptr self);

// One statement writing a page's rows with the named import_write_* query.
statement write(const char* query, const json& rows);

template <class T>
void count_page(job_ptr self, const std::string& resource, const op::rest_page<T>& page) {
  auto& counts = self->state.progress.resources[resource];
  counts.fetched += static_cast<std::int64_t>(page.items.size());
  counts.written += static_cast<std::int64_t>(page.items.size());
  ++counts.pages;
  for (const auto& error : page.item_errors)
    self->state.progress.reject(resource, error.id, error.message);
}

}  // namespace crmd::import_job
