#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// A workspace's history as OpenPhone's REST API (v1) serves it (openphone-api.md §5): our phone
// numbers, users, contacts, conversations, and their messages and calls with recordings,
// summaries, transcripts and voicemails. It is a pure function of dataset_options, so a test can
// build the same dataset in-process and compare what an importer stored with it field by field.
//
// Memory: the default sizes hold 120,000 activities, so references are indices into the
// dataset's vectors, fixed texts are views into static pools and timestamps are unix ms; only
// ids, numbers and URLs are strings. The member functions of `dataset` turn references back into
// wire values.
namespace crmd::openphone_emulator::rest {

// The end of the generated history, 2025-06-01T00:00:00Z: fixed rather than "now" so the seed
// alone determines every timestamp. The history spans the two years before it.
inline constexpr std::int64_t default_history_end_ms = 1748736000000;
inline constexpr std::int64_t history_span_ms = 730LL * 24 * 3600 * 1000;

struct dataset_options {
  std::uint64_t seed = 0;
  std::size_t numbers = 3;  // 1–10 (they share the 555-0190..0199 block)
  std::size_t users = 5;    // 1–100
  std::size_t contacts = 1000;
  std::size_t conversations = 3000;  // ≥ 1
  std::size_t messages = 100000;
  std::size_t calls = 20000;
  std::int64_t end_ms = default_history_end_ms;
  // Where recordings, voicemails and MMS media live; the emulator serves them under its own
  // address when given one (--media-base), so a downloader can fetch them.
  std::string media_base = "https://files.openphone.example";
};

// Throws std::invalid_argument (meant for the user) when a size is out of range.
void validate(const dataset_options& options);

enum class direction : std::uint8_t { incoming, outgoing };

std::string_view to_string(direction d);

// An index into dataset::users, or none (JSON null).
using user_ref = std::int16_t;
inline constexpr user_ref no_user = -1;

struct user {
  std::string id;  // US…
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string_view role;  // owner | admin | member
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

struct phone_number {
  std::string id;               // PN…
  std::string group_id;         // GR…
  std::string number;           // E.164
  std::string name;             // "Main line"
  std::vector<user_ref> users;  // the first owns it
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

// One entry of a contact's emails[] or phoneNumbers[].
struct contact_field {
  std::string name;   // label: mobile, work, home
  std::string value;  // address or E.164
  std::string id;
};

struct contact {
  std::string id;  // 24 hex digits, as REST contact ids look
  std::string first_name;
  std::string last_name;
  std::string company;  // empty = null
  std::string role;     // empty = null
  std::vector<contact_field> emails;
  std::vector<contact_field> phone_numbers;
  std::string_view source;  // openphone | csv | public-api
  std::string external_id;  // empty = null; set for public-api contacts
  user_ref created_by = 0;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

struct conversation {
  std::string id;                         // CN…
  std::size_t phone_number = 0;           // index into dataset::numbers
  std::vector<std::string> participants;  // external E.164, sorted; 2–4 = a group
  std::string name;                       // empty = null
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;        // = last_activity_ms
  std::int64_t last_activity_ms = 0;  // created_ms while it has no activity
  std::string last_activity_id;       // AC… of the newest message or call; empty = null
};

struct media_item {
  std::string url;
  std::string_view type;  // image/jpeg | image/png
};

struct message {
  std::string id;                  // AC…
  std::uint32_t conversation = 0;  // index into dataset::conversations
  direction dir = direction::incoming;
  std::uint8_t sender = 0;  // incoming: index into the conversation's participants
  user_ref user = no_user;  // outgoing: who sent it; null for incoming
  std::string_view status;  // received (incoming) | delivered | sent | undelivered
  std::string_view text;    // may be empty (a picture message)
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  std::vector<media_item> media;  // MMS; v1 does not return it, the dated surface does
};

// A call is always in a conversation with exactly one participant.
struct call {
  std::string id;  // AC…
  std::uint32_t conversation = 0;
  direction dir = direction::incoming;
  std::string_view status;  // completed | missed | no-answer | busy | canceled
  user_ref user = no_user;  // whose line rang, or who dialled
  std::int64_t created_ms = 0;
  std::int64_t answered_ms = 0;  // 0 = null (not answered)
  std::int64_t completed_ms = 0;
  int duration_s = 0;
  // US… ids or E.164; empty = null.
  std::string answered_by;
  std::string initiated_by;
  std::string forwarded_from;
  std::string forwarded_to;
  // Follow-ups: recordings are [first_recording, first_recording + recording_count) of
  // dataset::recordings (oldest first); the others index their vectors, −1 = none.
  std::uint32_t first_recording = 0;
  std::uint8_t recording_count = 0;
  std::int32_t summary = -1;
  std::int32_t transcript = -1;
  std::int32_t voicemail = -1;

  bool answered() const { return answered_ms != 0; }
};

struct recording {
  std::string id;  // CR…
  std::uint32_t call = 0;
  std::string url;  // audio/mpeg, status completed
  int duration_s = 0;
  std::int64_t start_ms = 0;
};

struct summary {
  std::uint32_t call = 0;  // status completed
  std::vector<std::string_view> lines;
  std::vector<std::string_view> next_steps;
};

struct dialogue_line {
  std::string_view content;
  double start = 0;  // seconds into the call
  double end = 0;
  std::string identifier;   // E.164 of the speaker
  user_ref user = no_user;  // null for the external party
};

struct transcript {
  std::uint32_t call = 0;  // status completed
  std::int64_t created_ms = 0;
  double duration = 0;
  std::vector<dialogue_line> dialogue;
};

struct voicemail {
  std::string id;  // VM…
  std::uint32_t call = 0;
  std::string recording_url;
  std::string_view transcript;  // empty = null (nothing was said)
  int duration_s = 0;           // status completed
};

struct dataset {
  dataset_options options;
  std::vector<phone_number> numbers;
  std::vector<user> users;
  std::vector<contact> contacts;
  std::vector<conversation> conversations;
  std::vector<message> messages;
  std::vector<call> calls;
  std::vector<recording> recordings;
  std::vector<summary> summaries;
  std::vector<transcript> transcripts;
  std::vector<voicemail> voicemails;

  const phone_number& number_of(const conversation& c) const { return numbers[c.phone_number]; }
  const conversation& conversation_of(const message& m) const {
    return conversations[m.conversation];
  }
  const conversation& conversation_of(const call& c) const { return conversations[c.conversation]; }
  // The user's US… id; empty for no_user.
  std::string_view user_id(user_ref user) const;
  // Our number when outgoing, the sending participant when incoming.
  std::string_view from(const message& m) const;
  // Outgoing: every participant. Incoming: our number first, then the other participants of a
  // group, as OpenPhone lists a group message's recipients.
  std::vector<std::string_view> to(const message& m) const;
  // The one external number of a call.
  std::string_view participant(const call& c) const;
};

dataset make_dataset(const dataset_options& options);

struct dataset_totals {
  std::size_t phone_numbers = 0;
  std::size_t users = 0;
  std::size_t contacts = 0;
  std::size_t conversations = 0;
  std::size_t group_conversations = 0;
  std::size_t messages = 0;
  std::size_t mms_messages = 0;
  std::size_t media = 0;
  std::size_t calls = 0;
  std::size_t answered_calls = 0;
  std::size_t recordings = 0;
  std::size_t summaries = 0;
  std::size_t transcripts = 0;
  std::size_t voicemails = 0;
};

dataset_totals totals(const dataset& data);

}  // namespace crmd::openphone_emulator::rest
