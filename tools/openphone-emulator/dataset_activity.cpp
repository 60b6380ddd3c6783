#include "tools/openphone-emulator/dataset_build.hpp"
#include "tools/openphone-emulator/dataset_text.hpp"

#include <algorithm>
#include <cmath>

namespace crmd::openphone_emulator::rest::build {

namespace {

std::int64_t between_ms(rng& random, std::int64_t low, std::int64_t high) {
  if (high <= low)
    return low;
  return low + static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(high - low)));
}

// A few busy conversations carry much of the traffic, as in a real inbox.
std::size_t pick_weighted(rng& random, std::size_t count) {
  std::size_t busy = std::max<std::size_t>(1, count / 20);
  return random.chance(0.3) ? random.below(busy) : random.below(count);
}

double centiseconds(double seconds) {
  return std::round(seconds * 100) / 100;
}

// Messages get even activity numbers and calls odd ones, so neither count shifts the other's ids.
std::string activity_id(std::uint64_t ids, std::uint64_t n, bool is_call) {
  return mint_id("AC", ids, id_kind::activity, 2 * n + (is_call ? 1 : 0));
}

// `low`–`high` lines of `pool`, consecutive from a random start so none repeats.
std::vector<std::string_view> distinct_lines(rng& random, std::span<const std::string_view> pool,
                                             int low, int high) {
  std::vector<std::string_view> lines;
  int count = random.between(low, high);
  std::uint64_t first = random.below(pool.size());
  for (int i = 0; i < count; ++i)
    lines.push_back(pool[(first + static_cast<std::uint64_t>(i)) % pool.size()]);
  return lines;
}

std::string_view outgoing_status(rng& random) {
  double roll = random.unit();
  return roll < 0.92 ? "delivered" : roll < 0.97 ? "sent" : "undelivered";
}

void add_media(message& m, rng& random, const std::string& base, std::uint64_t ids,
               std::uint64_t& media_n) {
  int files = random.between(1, 3);
  for (int i = 0; i < files; ++i) {
    bool png = random.chance(0.3);
    m.media.push_back({base + "/m/" +
                           mint_id("", ids, id_kind::media, media_n++) + (png ? ".png" : ".jpg"),
                       png ? "image/png" : "image/jpeg"});
  }
}

call draw_call(const dataset& data, rng& random, std::uint32_t conversation, std::string id) {
  const auto& c = data.conversations[conversation];
  const auto& number = data.number_of(c);
  call k;
  k.id = std::move(id);
  k.conversation = conversation;
  k.dir = random.chance(0.5) ? direction::incoming : direction::outgoing;
  bool incoming = k.dir == direction::incoming;
  k.user = random.pick(number.users);  // whose line rang, or who dialled
  k.created_ms = between_ms(random, c.created_ms, data.options.end_ms);
  std::int64_t ring_ms = random.between(3000, 25000);
  if (!incoming)
    k.initiated_by = data.user_id(k.user);
  if (random.chance(incoming ? 0.6 : 0.75)) {
    k.status = "completed";
    k.answered_ms = k.created_ms + ring_ms;
    k.duration_s = random.between(20, 1500);
    k.completed_ms = k.answered_ms + k.duration_s * 1000LL;
    if (incoming)
      k.answered_by = data.user_id(k.user);
    if (incoming && random.chance(0.08)) {
      // Forwarded: to a teammate on the same number, else out to a mobile.
      k.forwarded_from = data.user_id(k.user);
      auto teammate = std::find_if(number.users.begin(), number.users.end(),
                                   [&](user_ref u) { return u != k.user; });
      k.forwarded_to = teammate != number.users.end() && random.chance(0.6)
                           ? std::string(data.user_id(*teammate))
                           : "+1617555" + std::to_string(2000 + random.below(7000));
      k.answered_by = k.forwarded_to;
    }
    return k;
  }
  static constexpr std::string_view missed[] = {"missed", "no-answer", "completed"};
  static constexpr std::string_view unanswered[] = {"no-answer", "busy", "canceled"};
  k.status = incoming ? missed[random.below(3)] : unanswered[random.below(3)];
  k.completed_ms = k.created_ms + ring_ms;
  return k;
}

void add_dialogue(const dataset& data, const call& k, transcript& t, rng& random) {
  std::string_view ours = data.number_of(data.conversation_of(k)).number;
  std::string_view theirs = data.participant(k);
  user_ref speaker = k.user;
  for (std::size_t u = 0; u < data.users.size(); ++u)
    if (data.users[u].id == k.answered_by)
      speaker = static_cast<user_ref>(u);
  auto texts = pools::dialogue_texts();
  double at = 0.5;
  int lines = random.between(2, 8);
  std::uint64_t first = random.below(texts.size());
  for (int i = 0; i < lines; ++i) {
    // Whoever picked up speaks first.
    bool us = (i % 2 == 0) == (k.dir == direction::incoming);
    double end = std::min(t.duration, at + 1.5 + random.unit() * 6.0);
    t.dialogue.push_back({texts[(first + static_cast<std::uint64_t>(i)) % texts.size()],
                          centiseconds(at), centiseconds(end), std::string(us ? ours : theirs),
                          us ? speaker : no_user});
    at = std::min(t.duration, end + 0.3);
  }
}

void add_follow_ups(dataset& data, call& k, rng& random) {
  auto ids = id_seed(data.options.seed);
  auto index = static_cast<std::uint32_t>(data.calls.size());
  if (k.answered()) {
    k.first_recording = static_cast<std::uint32_t>(data.recordings.size());
    k.recording_count = random.chance(0.8) ? 1 : 2;
    int first_s = k.recording_count == 1 ? k.duration_s : random.between(5, k.duration_s - 5);
    for (int s = 0; s < k.recording_count; ++s) {
      auto id = mint_id("CR", ids, id_kind::recording, data.recordings.size());
      std::string url = data.options.media_base + "/r/" + id + ".mp3";
      data.recordings.push_back({std::move(id), index, std::move(url),
                                 s == 0 ? first_s : k.duration_s - first_s,
                                 k.answered_ms + (s == 0 ? 0 : first_s * 1000LL)});
    }
    if (random.chance(0.5)) {
      k.summary = static_cast<std::int32_t>(data.summaries.size());
      summary s{index, distinct_lines(random, pools::summary_lines(), 1, 3),
                distinct_lines(random, pools::next_step_lines(), 0, 3)};
      data.summaries.push_back(std::move(s));
    }
    if (random.chance(0.5)) {
      k.transcript = static_cast<std::int32_t>(data.transcripts.size());
      transcript t{index,
                   k.completed_ms + between_ms(random, 10000, 120000),
                   static_cast<double>(k.duration_s),
                   {}};
      add_dialogue(data, k, t, random);
      data.transcripts.push_back(std::move(t));
    }
  } else if (k.dir == direction::incoming && random.chance(0.4)) {
    k.voicemail = static_cast<std::int32_t>(data.voicemails.size());
    auto id = mint_id("VM", ids, id_kind::voicemail, data.voicemails.size());
    std::string url = data.options.media_base + "/v/" + id + ".mp3";
    k.duration_s = random.between(5, 90);
    k.completed_ms += k.duration_s * 1000LL;
    data.voicemails.push_back({std::move(id), index, std::move(url),
                               pick(random, pools::voicemail_texts()), k.duration_s});
  }
}

void note_activity(conversation& c, std::int64_t at_ms, const std::string& id) {
  if (c.last_activity_id.empty() || at_ms > c.last_activity_ms ||
      (at_ms == c.last_activity_ms && id > c.last_activity_id)) {
    c.last_activity_ms = at_ms;
    c.last_activity_id = id;
  }
}

}  // namespace

std::uint64_t id_seed(std::uint64_t seed) {
  return mix64(seed ^ 0x5245535444415441ULL);
}

rng stream(std::uint64_t seed, std::uint64_t salt) {
  return rng(mix64(seed ^ (salt << 40) ^ 0x44415441ULL));
}

std::string_view pick(rng& random, std::span<const std::string_view> pool) {
  return pool[random.below(pool.size())];
}

void add_messages(dataset& data) {
  auto random = stream(data.options.seed, 0x4d53);
  auto ids = id_seed(data.options.seed);
  std::uint64_t media_n = 0;
  std::size_t conversations = data.conversations.size();
  data.messages.reserve(data.options.messages);
  for (std::size_t i = 0; i < data.options.messages; ++i) {
    message m;
    // The first message of each conversation is the one that opened it.
    bool opening = i < conversations;
    m.conversation = static_cast<std::uint32_t>(opening ? i : pick_weighted(random, conversations));
    const auto& c = data.conversations[m.conversation];
    m.id = activity_id(ids, i, false);
    m.dir = random.chance(0.55) ? direction::incoming : direction::outgoing;
    if (m.dir == direction::incoming) {
      m.sender = static_cast<std::uint8_t>(random.below(c.participants.size()));
      m.status = "received";
    } else {
      m.user = random.pick(data.number_of(c).users);
      m.status = outgoing_status(random);
    }
    bool mms = random.chance(0.15);
    if (mms)
      add_media(m, random, data.options.media_base, ids, media_n);
    // A picture message often comes without any text.
    m.text = mms && random.chance(0.3) ? std::string_view() : pick(random, pools::message_texts());
    m.created_ms = opening ? c.created_ms : between_ms(random, c.created_ms, data.options.end_ms);
    m.updated_ms =
        m.dir == direction::outgoing ? m.created_ms + random.between(200, 6000) : m.created_ms;
    data.messages.push_back(std::move(m));
  }
}

void add_calls(dataset& data) {
  auto random = stream(data.options.seed, 0x434c);
  auto ids = id_seed(data.options.seed);
  std::vector<std::uint32_t> direct;
  for (std::size_t i = 0; i < data.conversations.size(); ++i)
    if (data.conversations[i].participants.size() == 1)
      direct.push_back(static_cast<std::uint32_t>(i));
  data.calls.reserve(data.options.calls);
  for (std::size_t j = 0; j < data.options.calls; ++j) {
    auto k = draw_call(data, random, direct[pick_weighted(random, direct.size())],
                       activity_id(ids, j, true));
    add_follow_ups(data, k, random);
    data.calls.push_back(std::move(k));
  }
}

void finish_conversations(dataset& data) {
  for (const auto& m : data.messages)
    note_activity(data.conversations[m.conversation], m.created_ms, m.id);
  for (const auto& k : data.calls)
    note_activity(data.conversations[k.conversation], k.created_ms, k.id);
  for (auto& c : data.conversations)
    c.updated_ms = c.last_activity_ms;
}

}  // namespace crmd::openphone_emulator::rest::build
