#pragma once

#include "domain/openphone_records.hpp"
#include "domain/webhook_event.hpp"
#include "integrations/openphone/rest_envelope.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

// What OpenPhone produces after a call, fetched per call id: recordings, the AI summary and
// transcript, the voicemail. Each becomes an activity_change that names only the call (its AC id)
// and the fields it fills, so applying it enriches the call's row and leaves the rest alone.
namespace crmd::integrations::openphone {

// GET /v1/call-recordings/{callId} `data` (Recording[], oldest first): media = every segment
// with a url; recording_url = the first completed segment's url.
rest_mapped<domain::activity_change> map_recordings(std::string_view call_id,
                                                    const nlohmann::json& data);
rest_mapped<domain::activity_change> map_recordings_response(std::string_view call_id,
                                                             std::string_view body);

// GET /v1/call-summaries/{callId} `data`: ai_summary, ai_next_steps, ai_content_status.
rest_mapped<domain::activity_change> map_summary(const nlohmann::json& data);

// GET /v1/call-transcripts/{callId} `data`: ai_transcript (the dialogue array as received) and
// ai_content_status.
rest_mapped<domain::activity_change> map_transcript(const nlohmann::json& data);

// GET /v1/call-voicemails/{callId} `data`: the voicemail of `call_id`.
rest_mapped<domain::openphone_voicemail> map_voicemail(std::string_view call_id,
                                                       const nlohmann::json& data);

// The call's side of a voicemail: voicemail_url (unset while OpenPhone is processing). The
// voicemail's own duration is not the call's and stays on the record.
domain::activity_change voicemail_change(const domain::openphone_voicemail& voicemail);

}  // namespace crmd::integrations::openphone
