#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

// What one OpenPhone webhook delivery means for the communication record, independent of the
// wire dialect (v2/v3 app webhooks, v4 API webhooks). Produced by
// integrations/openphone/webhook_parser, consumed by the conversation actors. Plain data only.
namespace crmd::domain {

struct media_item {
  std::string url;
  std::string type;                // MIME type, may be empty
  std::optional<double> duration;  // seconds, recordings only
};

// The change one event makes to one `activities` row (keyed by the provider's AC id). Unset
// optionals mean "this event says nothing about the field": the upsert keeps what is stored,
// so events can arrive in any order and still converge to the same row.
struct activity_change {
  std::string openphone_id;   // AC…
  std::string activity_type;  // "call" or "message"
  std::optional<std::string> direction;  // "incoming" / "outgoing"
  std::optional<std::string> status;     // provider status, normalised to the schema's set
  std::optional<std::string> from_number;   // E.164
  std::vector<std::string> to_numbers;      // E.164
  // The external parties (not our own number), E.164, sorted and unique: the conversation key.
  std::vector<std::string> participants;
  std::optional<std::string> our_number;        // our OpenPhone number, E.164, when known
  std::optional<std::string> phone_number_id;   // PN…
  std::optional<std::string> conversation_openphone_id;  // CN… (v2/v3 messages only)
  std::optional<std::string> user_openphone_id;          // US…
  std::optional<std::string> body;
  std::vector<media_item> media;
  std::optional<int> duration_seconds;
  std::optional<std::string> recording_url;
  std::optional<std::string> voicemail_url;
  std::optional<std::string> occurred_at;   // provider createdAt, ISO-8601 UTC
  std::optional<std::string> answered_at;
  std::optional<std::string> completed_at;
  std::optional<std::string> answered_by;   // US…/SY… or E.164
  std::optional<std::string> initiated_by;
  std::optional<std::string> forwarded_from;
  std::optional<std::string> forwarded_to;
  std::optional<std::vector<std::string>> ai_summary;     // summary sentences, as sent
  std::optional<std::vector<std::string>> ai_next_steps;  // next steps, as sent
  std::optional<nlohmann::json> ai_transcript;  // the dialogue array as received
  std::optional<std::string> ai_content_status;  // pending / completed / failed
};

struct contact_change {
  std::string openphone_id;  // CT… or 24-hex
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> company;
  std::vector<std::string> phone_numbers;  // E.164 only; others dropped
  std::vector<std::string> emails;
  std::optional<std::string> updated_at;
};

struct contact_removal {
  std::string openphone_id;
};

using event_change = std::variant<activity_change, contact_change, contact_removal>;

// One understood delivery.
struct webhook_event {
  std::string event_id;     // EV…
  std::string event_type;   // e.g. "message.received"
  std::string api_version;  // "v2", "v3", "v4"
  std::string created_at;   // envelope createdAt
  event_change change;
};

// Why a delivery could not be understood; `code` is stable and becomes
// webhook_events.error_code and a metric label.
struct webhook_rejection {
  std::string code;  // invalid_json, missing_event_id, unsupported_event_type, invalid_payload
  std::string message;
  // Whatever could be read from the envelope, so the raw payload can still be stored.
  std::string event_id;
  std::string event_type;
  std::string api_version;
};

}  // namespace crmd::domain
