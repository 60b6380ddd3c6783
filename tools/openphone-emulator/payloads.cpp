#include "tools/openphone-emulator/payloads.hpp"

#include "tools/openphone-emulator/world.hpp"

namespace crmd::openphone_emulator {

namespace {

json iso_or_null(std::int64_t unix_ms) {
  return unix_ms == 0 ? json(nullptr) : json(iso_utc(unix_ms));
}

json text_or_null(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

// v3 joins several recipients into one string; the reference saw exactly that on group texts.
std::string comma_joined(const std::vector<std::string>& numbers) {
  std::string joined;
  for (const auto& number : numbers) {
    if (!joined.empty())
      joined += ',';
    joined += number;
  }
  return joined;
}

json media_array(const std::vector<media_file>& media) {
  json out = json::array();
  for (const auto& file : media)
    out.push_back({{"url", file.url}, {"type", file.type}});
  return out;
}

// A missed call still reads "completed" on some deliveries; the fact says which spelling.
std::string call_status(const call_fact& fact, call_stage stage) {
  if (stage == call_stage::ringing)
    return "ringing";
  bool answered = fact.answered_ms != 0;
  return answered ? "completed" : fact.missed_status;
}

json v3_call(const call_fact& fact, call_stage stage) {
  bool incoming = fact.direction == "incoming";
  bool ringing = stage == call_stage::ringing;
  // A v3 webhook names no teammate field: the user on the call is whoever took it.
  bool teammate = fact.outcome == call_outcome::forwarded && fact.answered_by.starts_with("US");
  json object{{"id", fact.id},
              {"object", "call"},
              {"from", incoming ? fact.contact_number : fact.our_number},
              {"to", incoming ? fact.our_number : fact.contact_number},
              {"direction", fact.direction},
              {"status", call_status(fact, stage)},
              {"createdAt", iso_utc(fact.created_ms)},
              {"answeredAt", ringing ? json(nullptr) : iso_or_null(fact.answered_ms)},
              {"completedAt", ringing ? json(nullptr) : json(iso_utc(fact.completed_ms))},
              {"userId", teammate ? fact.answered_by : fact.user_id},
              {"phoneNumberId", fact.phone_number_id}};
  if (stage == call_stage::completed) {
    object["voicemail"] = fact.voicemail_url.empty() ? json(nullptr)
                                                     : json{{"url", fact.voicemail_url},
                                                            {"type", "audio/mpeg"},
                                                            {"duration", fact.voicemail_s}};
  }
  if (stage == call_stage::recording) {
    object["media"] = json::array(
        {{{"url", fact.recording_url}, {"type", "audio/mpeg"}, {"duration", fact.recording_s}}});
  }
  return object;
}

json v4_call(const call_fact& fact, call_stage stage) {
  bool incoming = fact.direction == "incoming";
  bool ringing = stage == call_stage::ringing;
  json participants = incoming ? json::array({fact.contact_number, fact.our_number})
                               : json::array({fact.our_number, fact.contact_number});
  json recordings = nullptr;
  if (stage == call_stage::recording)
    recordings = json::array({{{"id", fact.recording_id},
                               {"url", fact.recording_url},
                               {"type", "audio/mpeg"},
                               {"duration", fact.recording_s},
                               {"startTime", iso_or_null(fact.answered_ms)}}});
  std::int64_t updated_ms = ringing ? fact.created_ms : fact.completed_ms;
  return {{"id", fact.id},
          {"object", "call"},
          {"participants", std::move(participants)},
          {"direction", fact.direction},
          {"status", call_status(fact, stage)},
          {"createdAt", iso_utc(fact.created_ms)},
          {"updatedAt", iso_utc(updated_ms)},
          {"answeredAt", ringing ? json(nullptr) : iso_or_null(fact.answered_ms)},
          {"completedAt", ringing ? json(nullptr) : json(iso_utc(fact.completed_ms))},
          {"duration", ringing ? 0 : fact.duration_s},
          {"answeredBy", ringing ? json(nullptr) : text_or_null(fact.answered_by)},
          {"initiatedBy", incoming ? json(nullptr) : json(fact.user_id)},
          {"forwardedFrom", text_or_null(fact.forwarded_from)},
          {"forwardedTo", text_or_null(fact.forwarded_to)},
          {"userId", fact.user_id},
          {"phoneNumberId", fact.phone_number_id},
          {"contactIds", json::array({fact.contact_id})},
          {"callRoute", "phone-number"},
          {"aiHandled", nullptr},
          {"recordings", std::move(recordings)}};
}

}  // namespace

json message_object(const message_fact& fact, dialect version, std::string_view status) {
  bool incoming = fact.direction == "incoming";
  if (version == dialect::v3)
    return {{"id", fact.id},
            {"object", "message"},
            {"from", fact.sender},
            {"to", comma_joined(fact.recipients)},
            {"direction", fact.direction},
            {"body", fact.text},
            {"media", media_array(fact.media)},
            {"status", status},
            {"createdAt", iso_utc(fact.created_ms)},
            {"userId", fact.user_id},
            {"phoneNumberId", fact.phone_number_id},
            {"conversationId", fact.conversation_id}};
  json object{{"id", fact.id},
              {"object", "message"},
              {"from", fact.sender},
              {"to", fact.recipients},
              {"direction", fact.direction},
              {"text", fact.text},
              {"status", status},
              {"createdAt", iso_utc(fact.created_ms)},
              {"userId", incoming || fact.user_id.empty() ? json(nullptr) : json(fact.user_id)},
              {"phoneNumberId", fact.phone_number_id},
              {"contactIds", fact.contact_ids}};
  // The v4 docs show no media; an MMS still has to say what it carried, in v3's shape.
  if (!fact.media.empty())
    object["media"] = media_array(fact.media);
  return object;
}

json call_object(const call_fact& fact, dialect version, call_stage stage) {
  return version == dialect::v3 ? v3_call(fact, stage) : v4_call(fact, stage);
}

json summary_object(const call_fact& fact) {
  return {{"object", "callSummary"},
          {"callId", fact.id},
          {"status", "completed"},
          {"summary", fact.summary},
          {"nextSteps", fact.next_steps}};
}

json transcript_object(const call_fact& fact) {
  json dialogue = json::array();
  for (const auto& line : fact.dialogue)
    dialogue.push_back({{"content", line.content},
                        {"start", line.start},
                        {"end", line.end},
                        {"identifier", line.identifier},
                        {"userId", text_or_null(line.user_id)}});
  return {{"object", "callTranscript"},
          {"callId", fact.id},
          {"createdAt", iso_utc(fact.completed_ms)},
          {"dialogue", std::move(dialogue)},
          {"duration", static_cast<double>(fact.duration_s)},
          {"status", "completed"}};
}

json contact_object(const contact_fact& fact) {
  return {{"id", fact.id},
          {"object", "contact"},
          {"firstName", fact.first_name},
          {"lastName", fact.last_name},
          {"company", text_or_null(fact.company)},
          {"role", text_or_null(fact.role)},
          // Labels map to one value or a list; both forms occur, so both are used.
          {"fields", {{"Phone", fact.e164}, {"Email", json::array({fact.email})}}},
          {"notes", json::array()},
          {"sharedWith", json::array({fact.org_id})},
          {"userId", fact.user_id},
          {"clientId", nullptr},
          {"createdAt", iso_utc(fact.created_ms)},
          {"updatedAt", iso_utc(fact.updated_ms)}};
}

std::string deep_link(std::string_view phone_number_id, std::string_view conversation_id,
                      std::string_view activity_id) {
  std::string link = "https://my.quo.com/inbox/";
  link += phone_number_id;
  link += "/c/";
  link += conversation_id;
  link += "?at=";
  link += activity_id;
  return link;
}

json envelope(std::string_view event_id, dialect version, std::string_view type,
              std::int64_t created_ms, json object, std::string_view link) {
  json data{{"object", std::move(object)}};
  if (!link.empty())
    data["deepLink"] = link;
  return {{"id", event_id},
          {"object", "event"},
          {"apiVersion", to_string(version)},
          {"createdAt", iso_utc(created_ms)},
          {"type", type},
          {"data", std::move(data)}};
}

}  // namespace crmd::openphone_emulator
