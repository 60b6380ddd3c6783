#include "tools/openphone-emulator/generator.hpp"

#include "tools/openphone-emulator/payloads.hpp"

namespace crmd::openphone_emulator {

namespace {

using nlohmann::json;

// Collects a story's events, numbering them for their ids.
class story_builder {
 public:
  story_builder(const world& w, const generation_options& options, std::uint64_t index,
                dialect version)
      : world_(w), options_(options), index_(index), version_(version) {}

  void add(std::string_view type, std::int64_t at_ms, json object, const std::string& activity_id,
           const std::string& link, const std::string& contact_id = {}) {
    auto id = event_id_for(world_, options_, index_, events_.size());
    events_.push_back(make_event(envelope(id, version_, type, at_ms, std::move(object), link),
                                 activity_id, contact_id));
  }

  dialect version() const { return version_; }
  std::vector<generated_event> take() { return std::move(events_); }

 private:
  const world& world_;
  const generation_options& options_;
  std::uint64_t index_;
  dialect version_;
  std::vector<generated_event> events_;
};

void message_story(story_builder& story, const world& w, rng& random,
                   const generation_options& options, std::uint64_t index, std::int64_t time_ms) {
  auto m = draw_message(w, random, index, time_ms);
  auto link = deep_link(m.phone_number_id, m.conversation_id, m.id);
  auto v = story.version();
  if (m.direction == "incoming") {
    // The v4 docs sample reads "delivered" even on a received message.
    auto status = v == dialect::v3 ? "received" : "delivered";
    story.add("message.received", time_ms + random.between(80, 900), message_object(m, v, status),
              m.id, link);
    return;
  }
  if (options.message_pairs)
    story.add("message.delivered", time_ms + random.between(80, 400), message_object(m, v, "sent"),
              m.id, link);
  story.add("message.delivered", time_ms + random.between(1500, 8000),
            message_object(m, v, "delivered"), m.id, link);
}

void call_story(story_builder& story, const world& w, rng& random,
                const generation_options& options, std::uint64_t index, std::int64_t time_ms) {
  auto c = draw_call(w, random, index, time_ms);
  auto link = deep_link(c.phone_number_id, c.conversation_id, c.id);
  auto v = story.version();
  auto maybe = [&](double probability) { return options.full_calls || random.chance(probability); };
  if (maybe(0.7))
    story.add("call.ringing", c.created_ms + random.between(20, 200),
              call_object(c, v, call_stage::ringing), c.id, link);
  story.add("call.completed", c.completed_ms + random.between(100, 800),
            call_object(c, v, call_stage::completed), c.id, link);
  if (c.answered_ms == 0)
    return;
  if (maybe(0.7))
    story.add("call.recording.completed", c.completed_ms + random.between(5000, 20000),
              call_object(c, v, call_stage::recording), c.id, link);
  if (maybe(0.5))
    story.add("call.summary.completed", c.completed_ms + random.between(20000, 60000),
              summary_object(c), c.id, link);
  if (maybe(0.5))
    story.add("call.transcript.completed", c.completed_ms + random.between(60000, 90000),
              transcript_object(c), c.id, link);
}

void contact_story(story_builder& story, const world& w, rng& random, std::int64_t time_ms) {
  auto f = draw_contact(w, random, time_ms);
  auto type = random.chance(0.2) ? "contact.deleted" : "contact.updated";
  story.add(type, time_ms + random.between(100, 900), contact_object(f), std::string(), {}, f.id);
}

dialect pick_dialect(rng& random, version_mix versions) {
  switch (versions) {
    case version_mix::v3: return dialect::v3;
    case version_mix::v4: return dialect::v4;
    case version_mix::mixed: break;
  }
  return random.chance(0.5) ? dialect::v3 : dialect::v4;
}

}  // namespace

std::string event_id_for(const world& w, const generation_options& options, std::uint64_t story,
                         std::uint64_t position) {
  std::uint64_t variant =
      static_cast<std::uint64_t>(options.versions) | std::uint64_t{options.contacts} << 2 |
      std::uint64_t{options.full_calls} << 3 | std::uint64_t{options.message_pairs} << 4;
  return mint_id("EV", w.seed ^ mix64(variant), id_kind::event,
                 story * max_events_per_story + position);
}

generated_event make_event(json envelope, std::string activity_id, std::string contact_id) {
  generated_event event;
  event.id = envelope.value("id", "");
  event.type = envelope.value("type", "");
  event.version = envelope.value("apiVersion", "") == "v4" ? dialect::v4 : dialect::v3;
  event.activity_id = std::move(activity_id);
  event.contact_id = std::move(contact_id);
  event.body = envelope.dump();
  return event;
}

std::vector<generated_event> make_story(const world& w, const generation_options& options,
                                        std::uint64_t index, std::int64_t time_ms) {
  rng random(mix64(mix64(w.seed) + index));
  dialect version = pick_dialect(random, options.versions);
  double roll = random.unit();
  bool contact = options.contacts && roll < 0.1;
  // Contacts exist only on app-created webhooks, which speak v3 (openphone-api.md §5).
  story_builder story(w, options, index, contact ? dialect::v3 : version);
  if (contact)
    contact_story(story, w, random, time_ms);
  else if (roll < 0.55)
    message_story(story, w, random, options, index, time_ms);
  else
    call_story(story, w, random, options, index, time_ms);
  return story.take();
}

std::vector<generated_event> generate_events(const world& w, const generation_options& options,
                                             std::size_t count, std::int64_t start_ms,
                                             std::int64_t story_gap_ms) {
  std::vector<generated_event> events;
  events.reserve(count);
  for (std::uint64_t index = 0; events.size() < count; ++index) {
    auto story =
        make_story(w, options, index, start_ms + static_cast<std::int64_t>(index) * story_gap_ms);
    for (auto& event : story) {
      if (events.size() == count)
        break;
      events.push_back(std::move(event));
    }
  }
  return events;
}

}  // namespace crmd::openphone_emulator
