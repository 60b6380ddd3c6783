#include "storage/event_statements.hpp"

#include <nlohmann/json.hpp>

namespace crmd::storage {

namespace {

using nlohmann::json;

pg_value json_array(const std::vector<std::string>& values) {
  return json(values).dump();
}

pg_value optional_json_array(const std::optional<std::vector<std::string>>& values) {
  if (!values)
    return std::nullopt;
  return json(*values).dump();
}

pg_value media_json(const std::vector<domain::media_item>& media) {
  json items = json::array();
  for (const auto& item : media) {
    json entry{{"url", item.url}, {"type", item.type}};
    if (item.duration)
      entry["duration"] = *item.duration;
    items.push_back(std::move(entry));
  }
  return items.dump();
}

pg_value text(const std::optional<std::string>& value) {
  return value;
}

void append_activity(std::vector<statement>& batch, const domain::webhook_event& event,
                     const domain::activity_change& change) {
  bool has_parties = !change.participants.empty();
  pg_value parties = has_parties ? json_array(change.participants) : std::nullopt;
  pg_value primary = has_parties ? pg_value{change.participants.front()} : std::nullopt;
  if (change.user_openphone_id)
    batch.push_back(statement::named("upsert_user", {change.user_openphone_id}));
  if (has_parties) {
    batch.push_back(statement::named("upsert_participant_contacts", {parties}));
    batch.push_back(statement::named(
      "upsert_conversation",
      {change.phone_number_id, parties, change.conversation_openphone_id,
       change.occurred_at.value_or(event.created_at), primary}));
  }
  // Events that describe the call itself carry its createdAt; enrichment events do not.
  batch.push_back(statement::named(
    "upsert_activity",
    {change.openphone_id,
     change.activity_type,
     text(change.direction),
     text(change.status),
     text(change.from_number),
     change.to_numbers.empty() && !has_parties ? std::nullopt : json_array(change.to_numbers),
     parties,
     text(change.user_openphone_id),
     text(change.phone_number_id),
     text(change.body),
     change.media.empty() ? std::nullopt : media_json(change.media),
     change.duration_seconds ? pg_value{std::to_string(*change.duration_seconds)} : std::nullopt,
     text(change.recording_url),
     text(change.voicemail_url),
     text(change.answered_at),
     text(change.answered_by),
     text(change.completed_at),
     text(change.initiated_by),
     text(change.forwarded_from),
     text(change.forwarded_to),
     optional_json_array(change.ai_summary),
     optional_json_array(change.ai_next_steps),
     change.ai_transcript ? pg_value{change.ai_transcript->dump()} : std::nullopt,
     text(change.ai_content_status),
     text(change.occurred_at),
     event.created_at,
     primary,
     text(change.conversation_openphone_id)}));
  // Only events that carry the activity's own time can change which activity is the latest; the
  // others (summary, transcript, recording) leave the conversation row unlocked, so they never
  // deadlock against the conversation's own transaction.
  if (change.occurred_at)
    batch.push_back(statement::named("touch_conversation", {change.openphone_id}));
}

}  // namespace

statement insert_inbox_rows(const std::vector<inbox_row>& rows) {
  // The payload is spliced in verbatim (it is valid JSON), so the body is never re-serialised.
  std::string array = "[";
  for (const auto& row : rows) {
    if (array.size() > 1)
      array += ',';
    json fields{{"event_id", row.event_id},
                {"event_type", row.event_type},
                {"api_version", row.api_version},
                {"status", row.status},
                {"error_code", row.error_code.empty() ? json() : json(row.error_code)},
                {"error_message", row.error_message.empty() ? json() : json(row.error_message)}};
    std::string object = fields.dump(-1, ' ', false, json::error_handler_t::replace);
    object.pop_back();
    array += object;
    array += ",\"payload\":";
    array += row.payload;
    array += '}';
  }
  array += ']';
  return statement::named("insert_webhook_events", {std::move(array)});
}

std::vector<statement> apply_event_batch(std::int64_t row_id, const domain::webhook_event& event) {
  std::vector<statement> batch;
  if (const auto* change = std::get_if<domain::activity_change>(&event.change)) {
    append_activity(batch, event, *change);
  } else if (const auto* contact = std::get_if<domain::contact_change>(&event.change)) {
    auto phones = json_array(contact->phone_numbers);
    batch.push_back(statement::named("link_contact_by_phone", {contact->openphone_id, phones}));
    batch.push_back(statement::named(
      "upsert_provider_contact",
      {contact->openphone_id, text(contact->first_name), text(contact->last_name),
       text(contact->company), phones,
       contact->emails.empty() ? std::nullopt : pg_value{contact->emails.front()}}));
  } else {
    const auto& removal = std::get<domain::contact_removal>(event.change);
    batch.push_back(statement::named("unlink_provider_contact", {removal.openphone_id}));
  }
  batch.push_back(statement::named("mark_event_processed", {std::to_string(row_id)}));
  if (const auto* change = std::get_if<domain::activity_change>(&event.change))
    batch.push_back(statement::named("activity_for_publish", {change->openphone_id}));
  return batch;
}

bool publishes_activity(const domain::webhook_event& event) {
  return std::holds_alternative<domain::activity_change>(event.change);
}

statement record_event_failure(std::int64_t row_id, const std::string& code,
                               const std::string& message, int max_attempts,
                               std::int64_t retry_delay_ms) {
  return statement::named("record_event_failure",
                          {std::to_string(row_id), code, message, std::to_string(max_attempts),
                           std::to_string(retry_delay_ms)});
}

}  // namespace crmd::storage
