#pragma once

#include <optional>
#include <string>
#include <vector>

// OpenPhone REST objects that are not activities or contacts (those map onto
// domain::activity_change / contact_change, see webhook_event.hpp). Produced by
// integrations/openphone/rest_*, consumed by the history import. Plain data only.
namespace crmd::domain {

// GET /v1/phone-numbers: one of our OpenPhone numbers.
struct openphone_phone_number {
  std::string openphone_id;  // PN…
  std::string number;        // E.164
  std::optional<std::string> name;
  std::vector<std::string> user_ids;  // US…, the users sharing the number
};

// GET /v1/users.
struct openphone_user {
  std::string openphone_id;  // US…
  std::optional<std::string> email;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> role;  // owner / admin / member
};

// GET /v1/conversations.
struct openphone_conversation {
  std::string openphone_id;     // CN…
  std::string phone_number_id;  // PN…
  std::vector<std::string> participants;  // the other parties, E.164, sorted and unique
  std::optional<std::string> name;
  std::optional<std::string> created_at;  // ISO-8601 UTC, as sent
  std::optional<std::string> updated_at;
  std::optional<std::string> last_activity_at;
  std::optional<std::string> last_activity_id;  // AC…
};

// GET /v1/call-voicemails/{callId}. Fields stay empty while OpenPhone is still processing.
struct openphone_voicemail {
  std::string call_id;                  // AC…, the call the voicemail was left on
  std::optional<std::string> id;        // VM…
  std::optional<std::string> url;       // the recording
  std::optional<int> duration_seconds;  // of the voicemail, not of the call
  std::optional<std::string> transcript;
  std::optional<std::string> status;
};

}  // namespace crmd::domain
