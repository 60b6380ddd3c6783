#pragma once

#include "tools/openphone-emulator/world.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// What happened, independent of how a webhook dialect spells it. The generator decides the
// facts; payloads.cpp renders them as v3 or v4 objects. Several events of one activity (a
// call's ringing, completion, recording, summary) render the same fact, so they agree.
namespace crmd::openphone_emulator {

enum class dialect { v3, v4 };

std::string_view to_string(dialect d);

struct media_file {
  std::string url;
  std::string type;  // MIME
};

struct message_fact {
  std::string id;         // AC…
  std::string direction;  // incoming / outgoing
  std::string phone_number_id;
  std::string our_number;
  std::string sender;                    // E.164: a contact when incoming, ours when outgoing
  std::vector<std::string> recipients;   // E.164; several = a group message
  std::vector<std::string> contact_ids;  // the external parties' CT ids
  std::string conversation_id;
  std::string user_id;  // who sent it (outgoing) or whose inbox it landed in (incoming)
  std::string text;
  std::vector<media_file> media;  // MMS
  std::int64_t created_ms = 0;
};

enum class call_outcome { answered, missed, voicemail, forwarded };

std::string_view to_string(call_outcome outcome);

struct dialogue_line {
  std::string content;
  double start = 0;
  double end = 0;
  std::string identifier;  // E.164 of the speaker
  std::string user_id;     // empty for the contact
};

struct call_fact {
  std::string id;  // AC…
  std::string direction;
  call_outcome outcome = call_outcome::answered;
  std::string phone_number_id;
  std::string our_number;
  std::string contact_number;
  std::string contact_id;
  std::string conversation_id;
  std::string user_id;         // the user whose line rang or who dialled
  std::string answered_by;     // US… or E.164; empty when nobody answered
  std::string forwarded_from;  // US…, forwarded calls only
  std::string forwarded_to;    // US… or E.164, forwarded calls only
  std::string missed_status;   // what a missed call's status reads: completed / missed / no-answer
  std::int64_t created_ms = 0;
  std::int64_t answered_ms = 0;  // 0 = never answered
  std::int64_t completed_ms = 0;
  int duration_s = 0;
  std::string recording_id;  // CR…
  std::string recording_url;
  int recording_s = 0;
  std::string voicemail_url;  // voicemail outcome only
  int voicemail_s = 0;
  std::vector<std::string> summary;
  std::vector<std::string> next_steps;
  std::vector<dialogue_line> dialogue;
};

struct contact_fact {
  std::string id;  // CT…
  std::string first_name;
  std::string last_name;
  std::string company;
  std::string role;
  std::string e164;
  std::string email;
  std::string user_id;  // the teammate who edited it
  std::string org_id;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

// Choices a scripted event can pin down; whatever is left open is drawn from the generator.
struct fact_choices {
  std::optional<std::string> direction;  // incoming / outgoing
  std::optional<call_outcome> outcome;
  std::optional<bool> group;  // messages: a group conversation
  std::optional<bool> mms;    // messages: with media
};

// Each draws one fact for story `story` at `time_ms`; ids come from (world seed, story), so the
// same story index always yields the same activity id.
message_fact draw_message(const world& w, rng& random, std::uint64_t story, std::int64_t time_ms,
                          const fact_choices& choices = {});
call_fact draw_call(const world& w, rng& random, std::uint64_t story, std::int64_t time_ms,
                    const fact_choices& choices = {});
contact_fact draw_contact(const world& w, rng& random, std::int64_t time_ms);

std::optional<call_outcome> call_outcome_from(std::string_view text);

}  // namespace crmd::openphone_emulator
