#include "storage/change_json.hpp"

namespace crmd::storage {

namespace {

using nlohmann::json;

template <typename T>
void put(json& object, const char* key, const std::optional<T>& value) {
  if (value)
    object[key] = *value;
}

json media_json(const std::vector<domain::media_item>& media) {
  json items = json::array();
  for (const auto& item : media) {
    json entry{{"url", item.url}, {"type", item.type}};
    if (item.duration)
      entry["duration"] = *item.duration;
    items.push_back(std::move(entry));
  }
  return items;
}

}  // namespace

json activity_change_json(const domain::activity_change& change) {
  json object{{"openphone_id", change.openphone_id}, {"activity_type", change.activity_type}};
  bool has_parties = !change.participants.empty();
  if (has_parties)
    object["participants"] = change.participants;
  // A change that names its parties also says who the message went to, even if nobody.
  if (has_parties || !change.to_numbers.empty())
    object["to_numbers"] = change.to_numbers;
  if (!change.media.empty())
    object["media"] = media_json(change.media);
  put(object, "direction", change.direction);
  put(object, "status", change.status);
  put(object, "from_number", change.from_number);
  put(object, "phone_number_id", change.phone_number_id);
  put(object, "conversation_id", change.conversation_openphone_id);
  put(object, "user_id", change.user_openphone_id);
  put(object, "body", change.body);
  put(object, "duration_seconds", change.duration_seconds);
  put(object, "recording_url", change.recording_url);
  put(object, "voicemail_url", change.voicemail_url);
  put(object, "occurred_at", change.occurred_at);
  put(object, "answered_at", change.answered_at);
  put(object, "completed_at", change.completed_at);
  put(object, "answered_by", change.answered_by);
  put(object, "initiated_by", change.initiated_by);
  put(object, "forwarded_from", change.forwarded_from);
  put(object, "forwarded_to", change.forwarded_to);
  put(object, "ai_summary", change.ai_summary);
  put(object, "ai_next_steps", change.ai_next_steps);
  put(object, "ai_transcript", change.ai_transcript);
  put(object, "ai_content_status", change.ai_content_status);
  return object;
}

json contact_change_json(const domain::contact_change& change) {
  json object{{"openphone_id", change.openphone_id}, {"phone_numbers", change.phone_numbers}};
  put(object, "first_name", change.first_name);
  put(object, "last_name", change.last_name);
  put(object, "company", change.company);
  if (!change.emails.empty())
    object["email"] = change.emails.front();
  return object;
}

}  // namespace crmd::storage
