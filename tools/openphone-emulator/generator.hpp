#pragma once

#include "tools/openphone-emulator/facts.hpp"
#include "tools/openphone-emulator/world.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

// Stories of webhook events: each story is one activity (a message or a call with its
// follow-ups) or one contact change, drawn from (world seed, story index) alone. A story index
// therefore always yields the same events, and any number of threads can generate distinct
// stories by taking distinct indices.
namespace crmd::openphone_emulator {

struct generated_event {
  std::string id;    // EV…
  std::string type;  // message.received, call.completed, …
  dialect version = dialect::v3;
  std::string activity_id;  // AC… the activity the event changes; empty for contact events
  std::string contact_id;   // CT… for contact events; empty otherwise
  std::string body;         // compact JSON: the exact bytes that are signed and sent
};

enum class version_mix { v3, v4, mixed };

struct generation_options {
  version_mix versions = version_mix::mixed;
  bool contacts = true;  // include contact.updated / contact.deleted stories
  // Every call rings and every answered call gets its recording, summary and transcript.
  bool full_calls = false;
  // Outgoing messages arrive twice as message.delivered, first reading "sent" then
  // "delivered" (legacy webhooks have no message.sent event).
  bool message_pairs = false;
};

// Story indices from here up belong to scripted events (scenario files), so their ids never
// meet those of generated stories under the same seed.
inline constexpr std::uint64_t scripted_story_base = 1ULL << 40;
// Events per story never exceed this; an event id is minted from story * this + position.
inline constexpr std::uint64_t max_events_per_story = 16;

// Events differ with the options (full_calls adds some, message_pairs shifts positions), so the
// options are part of the id: under one seed an event id always names the same event.
std::string event_id_for(const world& w, const generation_options& options, std::uint64_t story,
                         std::uint64_t position);

// Serialises `envelope` and records what the event is about.
generated_event make_event(nlohmann::json envelope, std::string activity_id,
                           std::string contact_id);

// One story's events in the order OpenPhone would send them.
std::vector<generated_event> make_story(const world& w, const generation_options& options,
                                        std::uint64_t index, std::int64_t time_ms);

inline constexpr std::int64_t default_story_gap_ms = 7000;

// The first `count` events of stories 0, 1, 2, … with story i happening at
// start_ms + i * story_gap_ms; the last story may be cut short to make the count exact.
std::vector<generated_event> generate_events(const world& w, const generation_options& options,
                                             std::size_t count, std::int64_t start_ms,
                                             std::int64_t story_gap_ms = default_story_gap_ms);

}  // namespace crmd::openphone_emulator
