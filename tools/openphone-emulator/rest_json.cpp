#include "tools/openphone-emulator/rest_json.hpp"

#include "tools/openphone-emulator/world.hpp"

namespace crmd::openphone_emulator::rest {

namespace {

using nlohmann::json;

json text_or_null(std::string_view text) {
  return text.empty() ? json(nullptr) : json(text);
}

json time_or_null(std::int64_t ms) {
  return ms == 0 ? json(nullptr) : json(iso_utc(ms));
}

json user_or_null(const dataset& data, user_ref u) {
  return text_or_null(data.user_id(u));
}

// +15085550190 → (508) 555-0190, as the app shows our numbers.
json formatted(std::string_view e164) {
  if (e164.size() != 12 || !e164.starts_with("+1"))
    return nullptr;
  return "(" + std::string(e164.substr(2, 3)) + ") " + std::string(e164.substr(5, 3)) + "-" +
         std::string(e164.substr(8));
}

json fields(const std::vector<contact_field>& list) {
  json out = json::array();
  for (const auto& f : list)
    out.push_back({{"name", f.name}, {"value", f.value}, {"id", f.id}});
  return out;
}

json unrestricted() {
  return {{"CA", "unrestricted"}, {"US", "unrestricted"}, {"Intl", "restricted"}};
}

}  // namespace

json to_json(const dataset& data, const phone_number& n) {
  json users = json::array();
  for (auto u : n.users) {
    const auto& member = data.users[static_cast<std::size_t>(u)];
    users.push_back({{"id", member.id},
                     {"email", member.email},
                     {"firstName", member.first_name},
                     {"lastName", member.last_name},
                     {"groupId", n.group_id},
                     {"role", member.role}});
  }
  return {{"id", n.id},
          {"groupId", n.group_id},
          {"createdAt", iso_utc(n.created_ms)},
          {"updatedAt", iso_utc(n.updated_ms)},
          {"name", n.name},
          {"number", n.number},
          {"formattedNumber", formatted(n.number)},
          {"forward", nullptr},
          {"portRequestId", nullptr},
          {"portingStatus", nullptr},
          {"symbol", nullptr},
          {"users", std::move(users)},
          {"restrictions", {{"messaging", unrestricted()}, {"calling", unrestricted()}}}};
}

json to_json(const dataset&, const user& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"firstName", u.first_name},
          {"lastName", u.last_name},
          {"pictureUrl", nullptr},
          {"role", u.role},
          {"createdAt", iso_utc(u.created_ms)},
          {"updatedAt", iso_utc(u.updated_ms)}};
}

json to_json(const dataset& data, const contact& c) {
  return {{"id", c.id},
          {"externalId", text_or_null(c.external_id)},
          {"source", c.source},
          {"sourceUrl", nullptr},
          {"createdAt", iso_utc(c.created_ms)},
          {"updatedAt", iso_utc(c.updated_ms)},
          {"createdByUserId", data.user_id(c.created_by)},
          {"defaultFields",
           {{"firstName", c.first_name},
            {"lastName", c.last_name},
            {"company", text_or_null(c.company)},
            {"role", text_or_null(c.role)},
            {"emails", fields(c.emails)},
            {"phoneNumbers", fields(c.phone_numbers)}}},
          {"customFields", json::array()}};
}

json to_json(const dataset& data, const conversation& c) {
  return {{"id", c.id},
          {"phoneNumberId", data.number_of(c).id},
          {"participants", c.participants},
          {"name", text_or_null(c.name)},
          {"assignedTo", nullptr},
          {"createdAt", iso_utc(c.created_ms)},
          {"updatedAt", iso_utc(c.updated_ms)},
          {"deletedAt", nullptr},
          {"lastActivityAt", iso_utc(c.last_activity_ms)},
          {"lastActivityId", text_or_null(c.last_activity_id)},
          {"mutedUntil", nullptr},
          {"snoozedUntil", nullptr}};
}

json to_json(const dataset& data, const message& m, bool with_media) {
  json out{{"id", m.id},
           {"to", data.to(m)},
           {"from", data.from(m)},
           {"text", m.text},
           {"phoneNumberId", data.number_of(data.conversation_of(m)).id},
           {"direction", to_string(m.dir)},
           {"userId", user_or_null(data, m.user)},
           {"status", m.status},
           {"createdAt", iso_utc(m.created_ms)},
           {"updatedAt", iso_utc(m.updated_ms)}};
  if (with_media) {
    json media = json::array();
    for (const auto& item : m.media)
      media.push_back({{"url", item.url}, {"type", item.type}});
    out["media"] = std::move(media);
  }
  return out;
}

json to_json(const dataset& data, const call& c) {
  return {{"id", c.id},
          {"phoneNumberId", data.number_of(data.conversation_of(c)).id},
          {"userId", user_or_null(data, c.user)},
          {"direction", to_string(c.dir)},
          {"status", c.status},
          {"createdAt", iso_utc(c.created_ms)},
          {"updatedAt", iso_utc(c.completed_ms)},
          {"answeredAt", time_or_null(c.answered_ms)},
          {"completedAt", time_or_null(c.completed_ms)},
          {"duration", c.duration_s},
          {"participants", json::array({data.participant(c)})},
          {"answeredBy", text_or_null(c.answered_by)},
          {"initiatedBy", text_or_null(c.initiated_by)},
          {"forwardedFrom", text_or_null(c.forwarded_from)},
          {"forwardedTo", text_or_null(c.forwarded_to)},
          {"callRoute", "phone-number"},
          {"aiHandled", nullptr}};
}

json to_json(const dataset&, const recording& r) {
  return {{"id", r.id},
          {"url", r.url},
          {"type", "audio/mpeg"},
          {"duration", r.duration_s},
          {"startTime", iso_utc(r.start_ms)},
          {"status", "completed"}};
}

json to_json(const dataset& data, const summary& s) {
  return {{"callId", data.calls[s.call].id},
          {"status", "completed"},
          {"summary", s.lines},
          {"nextSteps", s.next_steps}};
}

json to_json(const dataset& data, const transcript& t) {
  json dialogue = json::array();
  for (const auto& line : t.dialogue)
    dialogue.push_back({{"content", line.content},
                        {"start", line.start},
                        {"end", line.end},
                        {"identifier", line.identifier},
                        {"userId", user_or_null(data, line.user)}});
  return {{"callId", data.calls[t.call].id},
          {"createdAt", iso_utc(t.created_ms)},
          {"duration", t.duration},
          {"status", "completed"},
          {"dialogue", std::move(dialogue)}};
}

json to_json(const dataset&, const voicemail& v) {
  return {{"id", v.id},
          {"duration", v.duration_s},
          {"transcript", text_or_null(v.transcript)},
          {"recordingUrl", v.recording_url},
          {"status", "completed"}};
}

json to_json(const dataset_totals& t) {
  return {{"phone_numbers", t.phone_numbers},
          {"users", t.users},
          {"contacts", t.contacts},
          {"conversations", t.conversations},
          {"group_conversations", t.group_conversations},
          {"messages", t.messages},
          {"mms_messages", t.mms_messages},
          {"media", t.media},
          {"calls", t.calls},
          {"answered_calls", t.answered_calls},
          {"recordings", t.recordings},
          {"summaries", t.summaries},
          {"transcripts", t.transcripts},
          {"voicemails", t.voicemails}};
}

}  // namespace crmd::openphone_emulator::rest
