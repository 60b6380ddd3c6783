#include "storage/event_statements.hpp"

#include "domain/campaign/opt_out.hpp"
#include "storage/change_json.hpp"

#include <nlohmann/json.hpp>

namespace crmd::storage {

using nlohmann::json;

namespace {

std::string inbox_json(const std::vector<inbox_row>& rows) {
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
  return array;
}

bool is_carrier_keyword_text(const domain::activity_change& change) {
  using domain::campaign::keyword_kind;
  return change.activity_type == "message" && change.direction == "incoming" &&
         change.body.has_value() &&
         domain::campaign::classify_keyword(*change.body).kind != keyword_kind::none;
}

// {created_at, kind, change, carrier_keyword when true}: what applying the event needs, without
// saying which stored row.
json change_entry(const domain::webhook_event& event) {
  json entry{{"created_at", event.created_at}};
  if (const auto* change = std::get_if<domain::activity_change>(&event.change)) {
    entry["kind"] = "activity";
    entry["change"] = activity_change_json(*change);
    // The apply marks other incoming texts done for the reply processor (migration V021).
    if (is_carrier_keyword_text(*change))
      entry["carrier_keyword"] = true;
  } else if (const auto* contact = std::get_if<domain::contact_change>(&event.change)) {
    entry["kind"] = "contact";
    entry["change"] = contact_change_json(*contact);
  } else {
    entry["kind"] = "contact_removal";
    entry["change"] = {
      {"openphone_id", std::get<domain::contact_removal>(event.change).openphone_id}};
  }
  return entry;
}

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

statement store_and_apply(const std::vector<inbox_row>& rows,
                          const std::vector<const domain::webhook_event*>& to_apply,
                          std::chrono::milliseconds apply_lock_timeout) {
  json changes = json::array();
  for (const auto* event : to_apply) {
    auto entry = change_entry(*event);
    entry["event_id"] = event->event_id;
    changes.push_back(std::move(entry));
  }
  return statement::named("store_webhook_events", {inbox_json(rows), dump(changes),
                                                   std::to_string(apply_lock_timeout.count())});
}

statement insert_inbox_rows(const std::vector<inbox_row>& rows) {
  return store_and_apply(rows, {}, std::chrono::milliseconds{0});
}

std::string apply_events_json(const std::vector<stored_event>& events) {
  json group = json::array();
  for (const auto& stored : events) {
    auto entry = change_entry(*stored.event);
    entry["row_id"] = stored.row_id;
    group.push_back(std::move(entry));
  }
  return dump(group);
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
