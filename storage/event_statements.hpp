#pragma once

#include "domain/webhook_event.hpp"
#include "storage/pg_types.hpp"

#include <cstdint>
#include <string>
#include <vector>

// Builds the SQL batches of the webhook path from domain values (queries in
// storage/queries/webhooks.sql and communication.sql). Pure: no connection needed.
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

// One statement storing every row; it returns (id, event_id) for the rows that were new.
statement insert_inbox_rows(const std::vector<inbox_row>& rows);

// The transaction that applies one stored event (webhook_events.id = row_id) and marks it
// processed. For activity events the last statement returns (conversation_id, activity JSON)
// for publishing.
std::vector<statement> apply_event_batch(std::int64_t row_id, const domain::webhook_event& event);

// Whether apply_event_batch ends with activity_for_publish.
bool publishes_activity(const domain::webhook_event& event);

statement record_event_failure(std::int64_t row_id, const std::string& code,
                               const std::string& message, int max_attempts,
                               std::int64_t retry_delay_ms);

}  // namespace crmd::storage
