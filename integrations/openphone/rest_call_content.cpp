#include "integrations/openphone/rest_call_content.hpp"

#include "integrations/openphone/rest_fields.hpp"

namespace crmd::integrations::openphone {

namespace {

using domain::activity_change;
using nlohmann::json;

activity_change call_change(std::string call_id) {
  activity_change change;
  change.openphone_id = std::move(call_id);
  change.activity_type = "call";
  return change;
}

// A segment: {id, url|null, type|null, duration|null, startTime|null, status|null}.
void read_segment(field_reader& segment, activity_change& change) {
  auto url = segment.string("url");
  auto type = segment.string("type");
  auto duration = segment.number("duration");
  auto status = segment.string("status");
  if (duration && *duration < 0)
    segment.fail("duration", "must not be negative");
  if (segment.failed() || !url || url->empty())
    return;
  if (!change.recording_url && status == "completed")
    change.recording_url = url;
  change.media.push_back({std::move(*url), type.value_or(""), duration});
}

}  // namespace

rest_mapped<activity_change> map_recordings(std::string_view call_id, const json& data) {
  if (call_id.empty())
    return rest_failure<activity_change>("recordings need the call id");
  if (!data.is_array())
    return rest_failure<activity_change>("recordings must be an array");
  std::string error;
  json holder = json::object();
  field_reader reader(holder, "recordings", error);
  activity_change change = call_change(std::string(call_id));
  for (std::size_t index = 0; index < data.size() && !reader.failed(); ++index) {
    std::string key = "[" + std::to_string(index) + "]";
    if (!data[index].is_object()) {
      reader.fail(key, "must be an object");
      break;
    }
    field_reader segment = reader.nested(data[index], key);
    read_segment(segment, change);
  }
  return reader_result(reader, error, std::move(change));
}

rest_mapped<activity_change> map_recordings_response(std::string_view call_id,
                                                     std::string_view body) {
  auto list = read_list(body);
  if (!list.ok())
    return rest_failure<activity_change>(std::move(list.error));
  return map_recordings(call_id, list.value->data);
}

rest_mapped<activity_change> map_summary(const json& data) {
  if (!data.is_object())
    return rest_failure<activity_change>("summary must be an object");
  std::string error;
  field_reader reader(data, "summary", error);
  activity_change change = call_change(reader.required_string("callId").value_or(""));
  change.ai_content_status = content_status(reader.string("status"));
  change.ai_summary = reader.string_array("summary");
  change.ai_next_steps = reader.string_array("nextSteps");
  return reader_result(reader, error, std::move(change));
}

rest_mapped<activity_change> map_transcript(const json& data) {
  if (!data.is_object())
    return rest_failure<activity_change>("transcript must be an object");
  std::string error;
  field_reader reader(data, "transcript", error);
  activity_change change = call_change(reader.required_string("callId").value_or(""));
  change.ai_content_status = content_status(reader.string("status"));
  if (const auto* dialogue = reader.array("dialogue")) {
    for (const auto& line : *dialogue)
      if (!line.is_object())
        reader.fail("dialogue", "must hold only objects");
    // Kept as received: its shape (content, start, end, identifier, userId) is for the UI.
    if (!reader.failed())
      change.ai_transcript = *dialogue;
  }
  return reader_result(reader, error, std::move(change));
}

rest_mapped<domain::openphone_voicemail> map_voicemail(std::string_view call_id,
                                                       const json& data) {
  using record = domain::openphone_voicemail;
  if (call_id.empty())
    return rest_failure<record>("a voicemail needs the call id");
  if (!data.is_object())
    return rest_failure<record>("voicemail must be an object");
  std::string error;
  field_reader reader(data, "voicemail", error);
  record voicemail;
  voicemail.call_id = std::string(call_id);
  voicemail.id = reader.string("id");
  voicemail.url = reader.string("recordingUrl");
  if (voicemail.url && voicemail.url->empty())
    voicemail.url.reset();
  voicemail.duration_seconds = seconds_field(reader, "duration");
  voicemail.transcript = reader.string("transcript");
  voicemail.status = reader.string("status");
  return reader_result(reader, error, std::move(voicemail));
}

activity_change voicemail_change(const domain::openphone_voicemail& voicemail) {
  activity_change change = call_change(voicemail.call_id);
  change.voicemail_url = voicemail.url;
  return change;
}

}  // namespace crmd::integrations::openphone
