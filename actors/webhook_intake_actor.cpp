#include "actors/webhook_intake_actor.hpp"

#include "actors/applied_events.hpp"
#include "actors/webhook_metrics.hpp"
#include "observability/log.hpp"
#include "storage/event_statements.hpp"

#include <caf/all.hpp>

#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace crmd {

namespace {

void answer_all(std::vector<webhook_submission>& batch, ingest_reply::outcome outcome) {
  for (auto& submission : batch)
    submission.reply({outcome, 0, {}});
}

struct intake_state {
  static constexpr const char* name = "crmd.webhook_intake";
  webhook_intake_options options;
  webhook_metrics* metrics = nullptr;
  std::vector<webhook_submission> pending;
  bool storing = false;

  // Deliveries still queued when the actor stops are answered, never dropped silently.
  ~intake_state() { answer_all(pending, ingest_reply::outcome::unavailable); }
};

using intake_ptr = caf::stateful_actor<intake_state>*;

storage::inbox_row to_row(const webhook_submission& submission) {
  storage::inbox_row row;
  row.payload = submission.raw_body;
  if (const auto* event = std::get_if<domain::webhook_event>(&submission.parsed)) {
    row.event_id = event->event_id;
    row.event_type = event->event_type;
    row.api_version = event->api_version;
    row.status = "received";
  } else {
    const auto& rejection = std::get<domain::webhook_rejection>(submission.parsed);
    row.event_id = rejection.event_id;
    row.event_type = rejection.event_type.empty() ? "unknown" : rejection.event_type;
    row.api_version = rejection.api_version;
    row.status = "failed";
    row.error_code = rejection.code;
    row.error_message = rejection.message;
  }
  return row;
}

const std::string& event_id_of(const webhook_submission& submission) {
  if (const auto* event = std::get_if<domain::webhook_event>(&submission.parsed))
    return event->event_id;
  return std::get<domain::webhook_rejection>(submission.parsed).event_id;
}

// The storing transaction's rows, sorted: see storage::store_and_apply.
struct batch_result {
  std::unordered_map<std::string, std::int64_t> new_rows;  // event_id → webhook_events.id
  storage::pg_result frames;                               // as publish_applied_frames takes
  std::optional<std::string> apply_error;                  // SQLSTATE of a failed apply
};

batch_result sort_rows(const storage::pg_result& result) {
  batch_result sorted;
  for (const auto& row : result.rows) {
    if (row[1])
      sorted.new_rows.emplace(*row[1], std::stoll(*row[0]));
    else if (row[5])
      sorted.apply_error = *row[5];
    else
      sorted.frames.rows.push_back({row[0], row[2], row[3], row[4]});
  }
  return sorted;
}

// Answers each delivery of a committed batch. New understood events were applied in the same
// transaction, unless the apply failed: then they go to the conversation registry.
void settle(intake_ptr self, std::vector<webhook_submission>& batch,
            const storage::pg_result& stored) {
  auto result = sort_rows(stored);
  auto conversations = self->system().registry().get(registry_keys::conversations);
  std::size_t applied = 0;
  bool inbound_text = false;
  for (auto& submission : batch) {
    auto it = result.new_rows.find(event_id_of(submission));
    if (it == result.new_rows.end()) {
      submission.reply({ingest_reply::outcome::duplicate, 0, {}});
      continue;
    }
    auto row_id = it->second;
    result.new_rows.erase(it);  // a repeat later in the same batch is a duplicate
    auto* event = std::get_if<domain::webhook_event>(&submission.parsed);
    if (event == nullptr) {
      const auto& rejection = std::get<domain::webhook_rejection>(submission.parsed);
      submission.reply({ingest_reply::outcome::stored_not_understood, row_id, rejection.code});
      continue;
    }
    submission.reply({ingest_reply::outcome::stored, row_id, {}});
    if (!result.apply_error) {
      ++applied;
      inbound_text = inbound_text || is_inbound_text(*event);
    } else if (conversations) {
      self->send(caf::actor_cast<caf::actor>(conversations), atoms::apply_atom_v,
                 webhook_job{row_id, std::move(*event)});
      self->state.metrics->applied("handed_on").Increment();
    }
  }
  if (result.apply_error) {
    log::warn("webhook_intake", "applying a stored batch failed; its conversation actors apply it",
              {{"sqlstate", *result.apply_error}, {"events", batch.size()}});
    return;
  }
  self->state.metrics->applied("processed").Increment(static_cast<double>(applied));
  publish_applied_frames(self, result.frames);
  observe_apply_lag(*self->state.metrics, result.frames);
  if (inbound_text)
    nudge_reply_processor(self);
}

// The statement storing `batch` and applying its understood events, each event id once.
storage::statement store_statement(const intake_state& state,
                                   const std::vector<webhook_submission>& batch) {
  std::vector<storage::inbox_row> rows;
  rows.reserve(batch.size());
  std::vector<const domain::webhook_event*> to_apply;
  std::unordered_set<std::string_view> seen;
  for (const auto& submission : batch) {
    rows.push_back(to_row(submission));
    const auto* event = std::get_if<domain::webhook_event>(&submission.parsed);
    if (event != nullptr && seen.insert(event->event_id).second)
      to_apply.push_back(event);
  }
  return storage::store_and_apply(rows, to_apply, state.options.apply_lock_timeout);
}

void flush(intake_ptr self) {
  auto& state = self->state;
  if (state.pending.empty() || state.storing)
    return;
  auto take = std::min(state.pending.size(), state.options.max_batch);
  auto end = state.pending.begin() + static_cast<std::ptrdiff_t>(take);
  auto batch = std::make_shared<std::vector<webhook_submission>>(
    std::make_move_iterator(state.pending.begin()), std::make_move_iterator(end));
  state.pending.erase(state.pending.begin(), end);

  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db) {
    answer_all(*batch, ingest_reply::outcome::unavailable);
    return;
  }
  state.metrics->ingest_batch_size.Observe(static_cast<double>(batch->size()));
  state.storing = true;
  auto started = std::chrono::steady_clock::now();
  // The next group goes to PostgreSQL before this one is answered and published, so the
  // database does not wait for that work (this group is committed; its answers follow at once).
  auto next = [self] {
    self->state.storing = false;
    flush(self);
  };
  self->request(db, state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{store_statement(state, *batch)}})
    .then(
      [self, batch, started, next](storage::pg_outcome& outcome) {
        next();
        if (outcome.ok()) {
          self->state.metrics->ingest_commit_seconds.Observe(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
          settle(self, *batch, outcome.results.front());
        } else {
          log::warn("webhook_intake", "storing a batch failed",
                    {{"code", outcome.error->code}, {"events", batch->size()}});
          answer_all(*batch, ingest_reply::outcome::unavailable);
        }
      },
      [self, batch, next](caf::error& error) {
        next();
        log::warn("webhook_intake", "database actor did not answer",
                  {{"error", to_string(error)}, {"events", batch->size()}});
        answer_all(*batch, ingest_reply::outcome::unavailable);
      });
}

caf::behavior intake_behavior(intake_ptr self, webhook_intake_options options,
                              webhook_metrics* metrics) {
  self->state.options = options;
  self->state.metrics = metrics;
  return {
    [self](atoms::ingest_atom, webhook_submission& submission) {
      if (self->state.pending.size() >= self->state.options.max_pending) {
        submission.reply({ingest_reply::outcome::overloaded, 0, {}});
        return;
      }
      self->state.pending.push_back(std::move(submission));
      flush(self);
    },
  };
}

}  // namespace

caf::actor spawn_webhook_intake_actor(caf::actor_system& system, webhook_intake_options options,
                                      webhook_metrics& metrics) {
  return system.spawn(intake_behavior, options, &metrics);
}

}  // namespace crmd
