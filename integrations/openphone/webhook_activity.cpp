#include "integrations/openphone/webhook_activity.hpp"

#include "integrations/openphone/statuses.hpp"
#include "integrations/openphone/webhook_fields.hpp"

#include <algorithm>
#include <array>
#include <climits>

namespace crmd::integrations::openphone {

namespace {

using domain::activity_change;

bool contains(const std::vector<std::string>& numbers, std::string_view number) {
  return std::find(numbers.begin(), numbers.end(), number) != numbers.end();
}

// Splits the numbers on an activity into ours and the external parties. The direction says
// which side is ours (incoming: `to`; outgoing: `from`); v4 participants[] carries no side, so
// there only the caller's list of our numbers can pick ours out.
void assign_parties(field_reader& reader, activity_change& change, const parse_options& options) {
  auto from = reader.string("from");
  auto to = reader.phone_list("to");
  auto listed = reader.phone_list("participants");
  if (reader.failed())
    return;
  if (from)
    from = std::string(trim_ascii(*from));

  std::optional<std::string> ours;
  if (change.direction == "outgoing")
    ours = from;
  else if (change.direction == "incoming" && to.size() == 1)
    ours = to.front();
  if (!ours || !contains(options.our_numbers, *ours)) {
    auto is_ours = [&options](const std::string& number) {
      return contains(options.our_numbers, number);
    };
    std::vector<std::string> everyone = listed;
    if (from)
      everyone.push_back(*from);
    everyone.insert(everyone.end(), to.begin(), to.end());
    if (auto found = std::find_if(everyone.begin(), everyone.end(), is_ours);
        found != everyone.end())
      ours = *found;
  }
  if (ours && is_e164(*ours))
    change.our_number = ours;

  if (from && is_e164(*from))
    change.from_number = from;
  for (auto& number : to)
    if (is_e164(number))
      change.to_numbers.push_back(number);

  std::vector<std::string> parties = listed;
  if (parties.empty()) {
    if (from)
      parties.push_back(*from);
    parties.insert(parties.end(), to.begin(), to.end());
  }
  for (auto& number : parties)
    if (is_e164(number) && number != change.our_number && !contains(options.our_numbers, number))
      change.participants.push_back(number);
  std::sort(change.participants.begin(), change.participants.end());
  auto last = std::unique(change.participants.begin(), change.participants.end());
  change.participants.erase(last, change.participants.end());
}

void read_direction(field_reader& reader, activity_change& change, bool required) {
  auto direction = reader.string("direction");
  if (!direction) {
    if (required)
      reader.fail("direction", "is required");
    return;
  }
  // The reference knows only these two; "inbound"/"outbound" come from invented fixtures.
  if (*direction != "incoming" && *direction != "outgoing") {
    reader.fail("direction", "must be incoming or outgoing");
    return;
  }
  change.direction = std::move(direction);
}

void require_counterpart(field_reader& reader, const activity_change& change) {
  if (!reader.failed() && change.participants.empty())
    reader.fail("participants", "name no external E.164 party");
}

void read_message(field_reader& reader, activity_change& change, const parse_options& options) {
  read_direction(reader, change, true);
  assign_parties(reader, change, options);
  change.body = reader.string("text");
  if (!change.body)
    change.body = reader.string("body");
  change.media = reader.media("media");
  change.status = known_message_status(reader.string("status"));
  change.occurred_at = reader.timestamp("createdAt");
  if (!change.occurred_at)
    reader.fail("createdAt", "is required");
  change.user_openphone_id = reader.optional_id("userId");
  change.phone_number_id = reader.string("phoneNumberId");
  change.conversation_openphone_id = reader.string("conversationId");
  require_counterpart(reader, change);
}

void read_duration(field_reader& reader, activity_change& change) {
  auto duration = reader.number("duration");
  if (!duration)
    return;
  if (*duration < 0 || *duration > INT_MAX) {
    reader.fail("duration", "must be a non-negative number of seconds");
    return;
  }
  change.duration_seconds = static_cast<int>(*duration);
}

// Call objects arrive on call.ringing, call.completed and call.recording.completed; the
// recording event may come first, so it fills what it carries but requires no parties.
void read_call(field_reader& reader, activity_change& change, const parse_options& options,
               bool recording) {
  read_direction(reader, change, !recording);
  assign_parties(reader, change, options);
  change.status = known_call_status(reader.string("status"));
  change.occurred_at = reader.timestamp("createdAt");
  if (!change.occurred_at && !recording)
    reader.fail("createdAt", "is required");
  change.answered_at = reader.timestamp("answeredAt");
  change.completed_at = reader.timestamp("completedAt");
  // A legacy webhook reports a missed call as status "completed" with answeredAt null. Say so
  // in the status, or the timeline would show it as a conversation that happened; an
  // unanswered outgoing call is the customer's "no-answer", not our missed call. An absent
  // answeredAt says nothing and changes nothing.
  if (change.status == "completed" && reader.is_null("answeredAt"))
    change.status = change.direction == "outgoing" ? "no-answer" : "missed";
  read_duration(reader, change);
  change.answered_by = reader.string("answeredBy");
  change.initiated_by = reader.string("initiatedBy");
  change.forwarded_from = reader.string("forwardedFrom");
  change.forwarded_to = reader.string("forwardedTo");
  change.user_openphone_id = reader.optional_id("userId");
  change.phone_number_id = reader.string("phoneNumberId");
  // v4 sends recordings[] (null until the recording exists), v3 media[]. Every segment is kept;
  // the first, the oldest, is the one the activity row links to.
  change.media =
      reader.get("recordings") != nullptr ? reader.media("recordings") : reader.media("media");
  if (!change.media.empty())
    change.recording_url = change.media.front().url;
  // v3 call.completed carries voicemail{url,type,duration}. The status stays the provider's:
  // the url is the fact, and v4 never sends it here, so a status derived from it would differ
  // by dialect for the same call.
  if (const auto* voicemail = reader.object("voicemail"))
    change.voicemail_url = reader.nested(*voicemail, "voicemail").string("url");
  if (!recording)
    require_counterpart(reader, change);
}

// Summary and transcript objects name only the call: `callId` is the activity they belong to.
void read_summary(field_reader& reader, activity_change& change) {
  change.ai_content_status = content_status(reader.string("status"));
  change.ai_summary = reader.string_array("summary");
  change.ai_next_steps = reader.string_array("nextSteps");
}

void read_transcript(field_reader& reader, activity_change& change) {
  change.ai_content_status = content_status(reader.string("status"));
  // Kept as received: the dialogue's shape (content, start, end, identifier, userId) is for the
  // UI to render, and the depth limit already bounds it.
  if (const auto* dialogue = reader.array("dialogue"))
    change.ai_transcript = *dialogue;
}

}  // namespace

std::optional<activity_change> read_activity(activity_kind kind, const nlohmann::json& object,
                                             const parse_options& options, std::string& error) {
  field_reader reader(object, "data.object", error);
  activity_change change;
  bool names_call = kind == activity_kind::summary || kind == activity_kind::transcript;
  if (auto id = reader.required_string(names_call ? "callId" : "id"))
    change.openphone_id = std::move(*id);
  change.activity_type = kind == activity_kind::message ? "message" : "call";
  switch (kind) {
    case activity_kind::message: read_message(reader, change, options); break;
    case activity_kind::call: read_call(reader, change, options, false); break;
    case activity_kind::recording: read_call(reader, change, options, true); break;
    case activity_kind::summary: read_summary(reader, change); break;
    case activity_kind::transcript: read_transcript(reader, change); break;
  }
  if (reader.failed())
    return std::nullopt;
  return change;
}

}  // namespace crmd::integrations::openphone
