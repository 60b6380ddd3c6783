#include "actors/webhook_intake_actor.hpp"

#include "actors/webhook_metrics.hpp"
#include "observability/log.hpp"
#include "storage/event_statements.hpp"

#include <caf/all.hpp>

#include <unordered_map>

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
  int inflight = 0;

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

// Answers each delivery of a committed batch and hands the new understood events on.
void settle(intake_ptr self, std::vector<webhook_submission>& batch,
            const storage::pg_result& inserted) {
  std::unordered_map<std::string, std::int64_t> new_rows;
  for (const auto& row : inserted.rows)
    new_rows.emplace(*row[1], std::stoll(*row[0]));
  auto conversations = self->system().registry().get(registry_keys::conversations);
  for (auto& submission : batch) {
    auto it = new_rows.find(event_id_of(submission));
    if (it == new_rows.end()) {
      submission.reply({ingest_reply::outcome::duplicate, 0, {}});
      continue;
    }
    auto row_id = it->second;
    new_rows.erase(it);  // a repeat later in the same batch is a duplicate
    if (auto* event = std::get_if<domain::webhook_event>(&submission.parsed)) {
      submission.reply({ingest_reply::outcome::stored, row_id, {}});
      if (conversations)
        self->send(caf::actor_cast<caf::actor>(conversations), atoms::apply_atom_v,
                   webhook_job{row_id, std::move(*event)});
    } else {
      const auto& rejection = std::get<domain::webhook_rejection>(submission.parsed);
      submission.reply({ingest_reply::outcome::stored_not_understood, row_id, rejection.code});
    }
  }
}

void flush(intake_ptr self) {
  auto& state = self->state;
  if (state.pending.empty() || state.inflight >= state.options.max_inflight)
    return;
  auto take = std::min(state.pending.size(), state.options.max_batch);
  auto batch = std::make_shared<std::vector<webhook_submission>>(
    std::make_move_iterator(state.pending.begin()),
    std::make_move_iterator(state.pending.begin() + static_cast<std::ptrdiff_t>(take)));
  state.pending.erase(state.pending.begin(), state.pending.begin() + static_cast<std::ptrdiff_t>(take));

  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db) {
    answer_all(*batch, ingest_reply::outcome::unavailable);
    return;
  }
  std::vector<storage::inbox_row> rows;
  rows.reserve(batch->size());
  for (const auto& submission : *batch)
    rows.push_back(to_row(submission));
  state.metrics->ingest_batch_size.Observe(static_cast<double>(batch->size()));
  ++state.inflight;
  auto started = std::chrono::steady_clock::now();
  auto done = [self] {
    --self->state.inflight;
    flush(self);
  };
  self->request(db, state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{storage::insert_inbox_rows(rows)}})
    .then(
      [self, batch, started, done](storage::pg_outcome& outcome) {
        if (outcome.ok()) {
          self->state.metrics->ingest_commit_seconds.Observe(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
          settle(self, *batch, outcome.results.front());
        } else {
          log::warn("webhook_intake", "storing a batch failed",
                    {{"code", outcome.error->code}, {"events", batch->size()}});
          answer_all(*batch, ingest_reply::outcome::unavailable);
        }
        done();
      },
      [self, batch, done](caf::error& error) {
        log::warn("webhook_intake", "database actor did not answer",
                  {{"error", to_string(error)}, {"events", batch->size()}});
        answer_all(*batch, ingest_reply::outcome::unavailable);
        done();
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
