#pragma once

#include "domain/webhook_event.hpp"
#include "storage/pg_types.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

// Builds the SQL batches of the webhook path from domain values (queries in
// storage/queries/webhooks.sql, functions of migration V003). Pure: no connection needed.
namespace crmd::storage {

// One delivery to store. `payload` is the raw body, already known to be valid JSON.
struct inbox_row {
  std::string event_id;
  std::string event_type;
  std::string api_version;
  std::string payload;
  std::string status;  // "received", or "failed" for a delivery that was not understood
  std::string error_code;
  std::string error_message;
};

// One statement storing every row and applying `to_apply` (understood events among the rows,
// each once) where they were new, in one transaction (query store_webhook_events). Its rows:
// (row_id, event_id) per new event; then the apply's (row_id, conversation_id, activity frame,
// lag seconds) under event_id null; or, when the apply failed and was rolled back alone, one
// row whose sixth column is the SQLSTATE. The apply waits at most `apply_lock_timeout` for a
// row another transaction holds.
statement store_and_apply(const std::vector<inbox_row>& rows,
                          const std::vector<const domain::webhook_event*>& to_apply,
                          std::chrono::milliseconds apply_lock_timeout);

// store_and_apply with nothing to apply: stores, returns (row_id, event_id) per new event.
statement insert_inbox_rows(const std::vector<inbox_row>& rows);

// A stored event to apply: webhook_events.id and what the delivery means.
struct stored_event {
  std::int64_t row_id = 0;
  const domain::webhook_event* event = nullptr;
};

// The events as the JSON array apply_webhook_events takes ({row_id, kind, created_at, change},
// and carrier_keyword: true for an incoming text that is STOP, START, HELP or the like).
// Arrays of several groups may be concatenated into one batch.
std::string apply_events_json(const std::vector<stored_event>& events);

// One statement applying the events of `events_json` in order (each activity's events in
// arrival order), in one transaction, and marking them processed. It returns
// (row_id, conversation_id, activity JSON) for every activity event, for publishing.
statement apply_events(std::string events_json);

// apply_events(apply_events_json(events)).
statement apply_event_group(const std::vector<stored_event>& events);

statement record_event_failure(std::int64_t row_id, const std::string& code,
                               const std::string& message, int max_attempts,
                               std::int64_t retry_delay_ms);

}  // namespace crmd::storage
