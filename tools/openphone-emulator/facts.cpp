#include "tools/openphone-emulator/facts.hpp"

#include "tools/openphone-emulator/dataset_text.hpp"

#include <array>
#include <span>

namespace crmd::openphone_emulator {

namespace {

// Texts a small service business sees; some carry emoji, quotes, newlines and non-ASCII
// letters, so the JSON escaping and the signature over raw bytes are exercised too.
constexpr std::array<std::string_view, 16> message_texts{
    "Hi, is Tuesday at 10 still OK for the inspection?",
    "Thanks! 👍",
    "Can you send the invoice again? I can't find it.",
    "We noticed a crack in the basement wall — can someone take a look?",
    "Running 10 min late, sorry",
    "Photo of the damage attached",
    "Yes, please book it.",
    "Quote looks good, approved.",
    "Who is this?",
    "Gate code is 4471#\nPark on the left side",
    "He said \"tomorrow morning\" works for him",
    "Café order for Friday: 12 × croissants",
    "Can we move it to next week?",
    "Got it, see you then.",
    "What's the total with tax?",
    "Please call me back when you can 🙏"};

// The call texts are the REST dataset's, so webhooks and the history tell the same stories.
const std::span<const std::string_view> summary_lines = rest::pools::summary_lines();
const std::span<const std::string_view> next_step_lines = rest::pools::next_step_lines();
const std::span<const std::string_view> dialogue_texts = rest::pools::dialogue_texts();

constexpr std::array<std::string_view, 5> roles{"Homeowner", "Property manager", "Tenant",
                                                "Contractor", ""};

const phone_number& number_of(const world& w, const conversation& c) {
  return w.numbers[c.number];
}

std::string pick_view(rng& random, const auto& items) {
  return std::string(items[random.below(items.size())]);
}

std::vector<std::string> pick_lines(rng& random, const auto& pool, int low, int high) {
  std::vector<std::string> lines;
  int count = random.between(low, high);
  std::uint64_t first = random.below(pool.size());
  for (int i = 0; i < count; ++i)
    lines.emplace_back(pool[(first + static_cast<std::uint64_t>(i)) % pool.size()]);
  return lines;
}

// A few busy contacts generate most of the traffic, as in a real inbox, so conversations
// accumulate several activities instead of one each.
std::size_t pick_contact(const world& w, rng& random) {
  std::size_t busy = std::min<std::size_t>(5, w.contacts.size());
  return random.chance(0.3) ? random.below(busy) : random.below(w.contacts.size());
}

std::string direction_of(rng& random, const fact_choices& choices, double incoming_share) {
  if (choices.direction)
    return *choices.direction;
  return random.chance(incoming_share) ? "incoming" : "outgoing";
}

void add_dialogue(call_fact& call, rng& random) {
  std::string us = call.answered_by.starts_with("US") ? call.answered_by : call.user_id;
  double at = 0.5;
  double length = std::max(call.duration_s, 10);
  int lines = random.between(4, 8);
  std::uint64_t first = random.below(dialogue_texts.size());
  for (int i = 0; i < lines; ++i) {
    bool ours = (i % 2 == 0) == (call.direction == "incoming");
    double end = std::min(length, at + 1.5 + random.unit() * 6.0);
    call.dialogue.push_back(
        {std::string(
             dialogue_texts[(first + static_cast<std::uint64_t>(i)) % dialogue_texts.size()]),
         at, end, ours ? call.our_number : call.contact_number, ours ? us : std::string()});
    at = std::min(length, end + 0.3);
  }
}

}  // namespace

std::string_view to_string(dialect d) {
  return d == dialect::v3 ? "v3" : "v4";
}

std::string_view to_string(call_outcome outcome) {
  switch (outcome) {
    case call_outcome::answered: return "answered";
    case call_outcome::missed: return "missed";
    case call_outcome::voicemail: return "voicemail";
    case call_outcome::forwarded: return "forwarded";
  }
  return "answered";
}

std::optional<call_outcome> call_outcome_from(std::string_view text) {
  for (auto outcome : {call_outcome::answered, call_outcome::missed, call_outcome::voicemail,
                       call_outcome::forwarded})
    if (to_string(outcome) == text)
      return outcome;
  return std::nullopt;
}

message_fact draw_message(const world& w, rng& random, std::uint64_t story, std::int64_t time_ms,
                          const fact_choices& choices) {
  bool group = choices.group.value_or(random.chance(0.15));
  const conversation& c =
      group ? w.conversations[w.contacts.size() +
                              random.below(w.conversations.size() - w.contacts.size())]
            : w.direct(pick_contact(w, random));
  const phone_number& number = number_of(w, c);
  message_fact m;
  m.id = mint_id("AC", w.seed, id_kind::activity, story);
  m.direction = direction_of(random, choices, 0.55);
  m.phone_number_id = number.id;
  m.our_number = number.e164;
  m.conversation_id = c.id;
  m.created_ms = time_ms;
  std::vector<std::string> external;
  for (std::size_t index : c.contacts) {
    external.push_back(w.contacts[index].e164);
    m.contact_ids.push_back(w.contacts[index].id);
  }
  if (m.direction == "incoming") {
    std::size_t author = random.below(external.size());
    m.sender = external[author];
    m.recipients.push_back(number.e164);
    for (std::size_t i = 0; i < external.size(); ++i)
      if (i != author)
        m.recipients.push_back(external[i]);
    m.user_id = number.user_ids.front();
  } else {
    m.sender = number.e164;
    m.recipients = external;
    m.user_id = random.pick(number.user_ids);
  }
  bool mms = choices.mms.value_or(random.chance(0.2));
  if (mms) {
    int files = random.between(1, 2);
    for (int i = 0; i < files; ++i) {
      bool video = random.chance(0.15);
      std::string name =
          mint_id("", w.seed, id_kind::media, story * 8 + static_cast<std::uint64_t>(i));
      m.media.push_back({"https://files.openphone.example/m/" + name + (video ? ".mp4" : ".jpg"),
                         video ? "video/mp4" : "image/jpeg"});
    }
  }
  // A picture message often comes without any text.
  m.text = mms && random.chance(0.3) ? std::string() : pick_view(random, message_texts);
  return m;
}

call_fact draw_call(const world& w, rng& random, std::uint64_t story, std::int64_t time_ms,
                    const fact_choices& choices) {
  std::size_t contact_index = pick_contact(w, random);
  const conversation& c = w.direct(contact_index);
  const phone_number& number = number_of(w, c);
  call_fact call;
  call.id = mint_id("AC", w.seed, id_kind::activity, story);
  call.direction = direction_of(random, choices, 0.65);
  bool incoming = call.direction == "incoming";
  call.phone_number_id = number.id;
  call.our_number = number.e164;
  call.contact_number = w.contacts[contact_index].e164;
  call.contact_id = w.contacts[contact_index].id;
  call.conversation_id = c.id;
  call.user_id = incoming ? number.user_ids.front() : random.pick(number.user_ids);
  call.created_ms = time_ms;

  double roll = random.unit();
  call.outcome = incoming ? (roll < 0.55   ? call_outcome::answered
                             : roll < 0.7  ? call_outcome::missed
                             : roll < 0.85 ? call_outcome::voicemail
                                           : call_outcome::forwarded)
                          : (roll < 0.65 ? call_outcome::answered : call_outcome::missed);
  if (choices.outcome)
    call.outcome = *choices.outcome;
  double status_roll = random.unit();
  if (incoming)
    call.missed_status = status_roll < 0.6    ? "completed"
                         : status_roll < 0.85 ? "missed"
                                              : "no-answer";
  else
    call.missed_status = status_roll < 0.5 ? "completed" : "no-answer";

  switch (call.outcome) {
    case call_outcome::answered: call.answered_by = incoming ? call.user_id : std::string(); break;
    case call_outcome::forwarded:
      call.forwarded_from = call.user_id;
      // Usually a teammate on the same number takes it; sometimes it rings out to a mobile.
      call.forwarded_to = random.chance(0.75)
                              ? number.user_ids.back()
                              : "+1617555" + std::to_string(2000 + random.below(7000));
      call.answered_by = call.forwarded_to;
      break;
    case call_outcome::missed:
    case call_outcome::voicemail: break;
  }
  bool answered = call.outcome == call_outcome::answered || call.outcome == call_outcome::forwarded;
  if (answered) {
    call.answered_ms = call.created_ms + random.between(3000, 20000);
    call.duration_s = random.between(20, 600);
    call.completed_ms = call.answered_ms + call.duration_s * 1000LL;
    call.recording_id = mint_id("CR", w.seed, id_kind::recording, story);
    call.recording_url = "https://files.openphone.example/r/" + call.recording_id + ".mp3";
    call.recording_s = call.duration_s;
    call.summary = pick_lines(random, summary_lines, 2, 3);
    call.next_steps = pick_lines(random, next_step_lines, 1, 2);
    add_dialogue(call, random);
  } else if (call.outcome == call_outcome::voicemail && incoming) {
    call.voicemail_s = random.between(8, 60);
    std::string voicemail_id = mint_id("VM", w.seed, id_kind::voicemail, story);
    call.voicemail_url = "https://files.openphone.example/v/" + voicemail_id + ".mp3";
    call.completed_ms = call.created_ms + 25000 + call.voicemail_s * 1000LL;
  } else {
    call.completed_ms = call.created_ms + random.between(15000, 40000);
  }
  return call;
}

contact_fact draw_contact(const world& w, rng& random, std::int64_t time_ms) {
  const contact& c = w.contacts[pick_contact(w, random)];
  contact_fact fact{c.id,
                    c.first_name,
                    c.last_name,
                    c.company,
                    pick_view(random, roles),
                    c.e164,
                    c.email,
                    random.pick(w.users),
                    w.org_id,
                    time_ms - random.between(1, 90) * 86400000LL,
                    time_ms};
  return fact;
}

}  // namespace crmd::openphone_emulator
