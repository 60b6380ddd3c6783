#include "storage/event_statements.hpp"

#include "storage/change_json.hpp"

#include <nlohmann/json.hpp>

namespace crmd::storage {

using nlohmann::json;

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

std::string apply_events_json(const std::vector<stored_event>& events) {
  json group = json::array();
  for (const auto& stored : events) {
    json entry{{"row_id", stored.row_id}, {"created_at", stored.event->created_at}};
    if (const auto* change = std::get_if<domain::activity_change>(&stored.event->change)) {
      entry["kind"] = "activity";
      entry["change"] = activity_change_json(*change);
    } else if (const auto* contact = std::get_if<domain::contact_change>(&stored.event->change)) {
      entry["kind"] = "contact";
      entry["change"] = contact_change_json(*contact);
    } else {
      entry["kind"] = "contact_removal";
      entry["change"] = {
        {"openphone_id", std::get<domain::contact_removal>(stored.event->change).openphone_id}};
    }
    group.push_back(std::move(entry));
  }
  return group.dump(-1, ' ', false, json::error_handler_t::replace);
}

statement apply_events(std::string events_json) {
  return statement::named("apply_webhook_events", {std::move(events_json)});
}

statement apply_event_group(const std::vector<stored_event>& events) {
  return apply_events(apply_events_json(events));
}

statement record_event_failure(std::int64_t row_id, const std::string& code,
                               const std::string& message, int max_attempts,
                               std::int64_t retry_delay_ms) {
  return statement::named("record_event_failure",
                          {std::to_string(row_id), code, message, std::to_string(max_attempts),
                           std::to_string(retry_delay_ms)});
}

}  // namespace crmd::storage
