#include "integrations/openphone/rest_activities.hpp"

#include "integrations/openphone/rest_fields.hpp"

#include <algorithm>

namespace crmd::integrations::openphone {

namespace {

using domain::activity_change;
using nlohmann::json;

bool is_our_number(const rest_options& options, const std::string& number) {
  return std::any_of(options.our_numbers.begin(), options.our_numbers.end(),
                     [&number](const auto& entry) { return entry.second == number; });
}

std::optional<std::string> our_number_for(const rest_options& options,
                                          const std::optional<std::string>& phone_number_id) {
  if (!phone_number_id)
    return std::nullopt;
  auto it = options.our_numbers.find(*phone_number_id);
  return it == options.our_numbers.end() ? std::nullopt : std::optional(it->second);
}

// Everyone named on the activity except our number(s), sorted and unique.
std::vector<std::string> external_parties(std::vector<std::string> everyone,
                                          const std::optional<std::string>& ours,
                                          const rest_options& options) {
  std::erase_if(everyone, [&](const std::string& number) {
    return number == ours || is_our_number(options, number);
  });
  sort_unique(everyone);
  return everyone;
}

void read_common(field_reader& reader, activity_change& change) {
  if (auto id = reader.required_string("id"))
    change.openphone_id = std::move(*id);
  auto direction = reader.string("direction");
  if (!direction)
    reader.fail("direction", "is required");
  else if (*direction != "incoming" && *direction != "outgoing")
    reader.fail("direction", "must be incoming or outgoing");
  else
    change.direction = std::move(direction);
  change.occurred_at = reader.timestamp("createdAt");
  if (!change.occurred_at)
    reader.fail("createdAt", "is required");
  change.user_openphone_id = reader.string("userId");
  change.phone_number_id = reader.string("phoneNumberId");
}

void require_parties(field_reader& reader, const activity_change& change) {
  if (!reader.failed() && change.participants.empty())
    reader.fail("participants", "name no external E.164 party");
}

}  // namespace

rest_mapped<activity_change> map_message(const json& item, const rest_options& options) {
  std::string error;
  if (!item.is_object())
    return rest_failure<activity_change>("message must be an object");
  field_reader reader(item, "message", error);
  activity_change change;
  change.activity_type = "message";
  read_common(reader, change);
  change.from_number = e164(reader, "from");
  if (!change.from_number)
    reader.fail("from", "is required");
  change.to_numbers = e164_list(reader, "to");
  change.body = reader.string("text");
  change.status = known_message_status(reader.string("status"));
  if (reader.failed())
    return rest_failure<activity_change>(std::move(error));

  // Our side: the number of phoneNumberId when known, else what the direction implies.
  auto ours = our_number_for(options, change.phone_number_id);
  if (!ours && change.direction == "outgoing")
    ours = change.from_number;
  if (!ours && change.direction == "incoming" && change.to_numbers.size() == 1)
    ours = change.to_numbers.front();
  change.our_number = ours;
  std::vector<std::string> everyone = change.to_numbers;
  everyone.push_back(*change.from_number);
  change.participants = external_parties(std::move(everyone), ours, options);
  require_parties(reader, change);
  return reader_result(reader, error, std::move(change));
}

rest_mapped<activity_change> map_message_media(const json& data) {
  std::string error;
  if (!data.is_object())
    return rest_failure<activity_change>("message must be an object");
  field_reader reader(data, "message", error);
  activity_change change;
  change.activity_type = "message";
  auto id = reader.string("id");
  if (!id || !id->starts_with("AC"))
    reader.fail("id", "must be an activity id (AC…)");
  else
    change.openphone_id = *id;
  change.media = reader.media("media");
  return reader_result(reader, error, std::move(change));
}

rest_mapped<activity_change> map_call(const json& item, const rest_options& options) {
  std::string error;
  if (!item.is_object())
    return rest_failure<activity_change>("call must be an object");
  field_reader reader(item, "call", error);
  activity_change change;
  change.activity_type = "call";
  read_common(reader, change);
  auto listed = e164_list(reader, "participants");
  change.status = known_call_status(reader.string("status"));
  change.answered_at = reader.timestamp("answeredAt");
  change.completed_at = reader.timestamp("completedAt");
  change.duration_seconds = seconds_field(reader, "duration");
  change.answered_by = reader.string("answeredBy");
  change.initiated_by = reader.string("initiatedBy");
  change.forwarded_from = reader.string("forwardedFrom");
  change.forwarded_to = reader.string("forwardedTo");
  if (reader.failed())
    return rest_failure<activity_change>(std::move(error));

  // Same rule as the webhook mapper: a completed call nobody answered was missed (ours) or
  // not answered (theirs); an absent answeredAt says nothing.
  if (change.status == "completed" && reader.is_null("answeredAt"))
    change.status = change.direction == "outgoing" ? "no-answer" : "missed";

  auto ours = our_number_for(options, change.phone_number_id);
  change.our_number = ours;
  change.participants = external_parties(std::move(listed), ours, options);
  if (ours && change.participants.size() == 1) {
    const auto& party = change.participants.front();
    bool incoming = change.direction == "incoming";
    change.from_number = incoming ? party : *ours;
    change.to_numbers = {incoming ? *ours : party};
  }
  require_parties(reader, change);
  return reader_result(reader, error, std::move(change));
}

rest_page<activity_change> map_message_page(std::string_view body, const rest_options& options) {
  return map_list<activity_change>(
    body, [&options](const json& item) { return map_message(item, options); });
}

rest_page<activity_change> map_call_page(std::string_view body, const rest_options& options) {
  return map_list<activity_change>(
    body, [&options](const json& item) { return map_call(item, options); });
}

}  // namespace crmd::integrations::openphone
