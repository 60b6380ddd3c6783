#include "tools/openphone-emulator/scenario.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace crmd::openphone_emulator {

namespace {

using nlohmann::json;

// Stories 0, 1, 2, … until `count` events, the last cut short; each story keeps its events
// together so a scenario can reorder within it.
std::vector<std::vector<generated_event>> stories(const world& w, const generation_options& options,
                                                  std::size_t count, std::int64_t start_ms) {
  std::vector<std::vector<generated_event>> out;
  std::size_t total = 0;
  for (std::uint64_t index = 0; total < count; ++index) {
    auto story = make_story(w, options, index,
                            start_ms + static_cast<std::int64_t>(index) * default_story_gap_ms);
    if (story.size() > count - total)
      story.resize(count - total);
    total += story.size();
    out.push_back(std::move(story));
  }
  return out;
}

// Appends the story's events to the plan; returns their indices in plan order.
std::vector<std::size_t> adopt(plan& p, std::vector<generated_event> story) {
  std::vector<std::size_t> indices;
  for (auto& event : story) {
    indices.push_back(p.events.size());
    p.events.push_back(std::move(event));
  }
  return indices;
}

// One delivery per event, all at once.
void each_event(plan& p, const auto& make_sequence) {
  wave all;
  for (std::size_t i = 0; i < p.events.size(); ++i)
    all.sequences.push_back(make_sequence(i));
  p.waves.push_back(std::move(all));
}

}  // namespace

std::string to_string(const expectation& expect) {
  switch (expect.what) {
    case expectation::kind::ack: return "2xx";
    case expectation::kind::duplicate: return "2xx duplicate";
    case expectation::kind::status: return std::to_string(expect.status);
  }
  return "2xx";
}

std::size_t plan::deliveries() const {
  std::size_t n = 0;
  for (const auto& w : waves)
    for (const auto& s : w.sequences)
      n += s.size();
  return n;
}

plan make_scenario(const world& w, const scenario_settings& settings) {
  const auto& name = settings.name;
  if (std::find(std::begin(built_in_scenarios), std::end(built_in_scenarios), name) ==
      std::end(built_in_scenarios))
    throw std::invalid_argument("unknown scenario " + name);
  plan p;
  p.name = name;
  p.seed = w.seed;
  generation_options options{.versions = settings.versions};

  if (name == "out-of-order") {
    // Contacts have no order to get wrong; calls and outgoing messages carry every follow-up.
    options.contacts = false;
    options.full_calls = true;
    options.message_pairs = true;
    wave all;
    for (auto& story : stories(w, options, settings.events, settings.start_ms)) {
      auto indices = adopt(p, std::move(story));
      // Reversed: transcript, summary and recording before the completion, ringing last; the
      // "delivered" copy of a message before its "sent" copy.
      sequence reversed;
      for (auto it = indices.rbegin(); it != indices.rend(); ++it)
        reversed.push_back({*it});
      all.sequences.push_back(std::move(reversed));
    }
    p.waves.push_back(std::move(all));
    return p;
  }

  for (auto& story : stories(w, options, settings.events, settings.start_ms))
    adopt(p, std::move(story));

  if (name == "burst") {
    each_event(p, [](std::size_t i) { return sequence{{i}}; });
  } else if (name == "duplicates") {
    // Copies sit next to each other in the wave, so different connections carry them at once.
    wave all;
    for (std::size_t i = 0; i < p.events.size(); ++i)
      for (int copy = 0; copy < std::max(1, settings.repeat); ++copy)
        all.sequences.push_back({{i}});
    p.waves.push_back(std::move(all));
  } else if (name == "retries") {
    each_event(p, [](std::size_t i) {
      return sequence{{i}, {i, signing::valid, {expectation::kind::duplicate}}};
    });
  } else if (name == "bad-signatures") {
    each_event(p, [](std::size_t i) {
      constexpr signing modes[] = {signing::wrong_key, signing::garbled, signing::missing};
      // Every third event is garbled; i / 3 walks those through all the garblings.
      return sequence{{i, modes[i % 3], expectation::rejected(), i / 3}};
    });
  } else if (name == "stale") {
    each_event(p, [](std::size_t i) {
      return sequence{{i, signing::stale, expectation::rejected()}};
    });
  }
  return p;
}

json expected_outcome(const plan& p) {
  std::vector<bool> sent(p.events.size(), false);
  std::vector<bool> stored(p.events.size(), false);
  for (const auto& w : p.waves)
    for (const auto& s : w.sequences)
      for (const auto& d : s) {
        sent[d.event] = true;
        if (d.sign == signing::valid && d.expect.wants_2xx())
          stored[d.event] = true;
      }

  // Scenario files may send one event id under several entries: ids are counted once.
  std::set<std::string> event_ids, stored_ids, rejected_ids, activity_ids, contact_ids;
  json details = json::array();
  for (std::size_t i = 0; i < p.events.size(); ++i) {
    if (!sent[i])
      continue;
    const auto& e = p.events[i];
    // A raw scripted body may carry no id the emulator knows.
    if (!e.id.empty())
      event_ids.insert(e.id);
    if (stored[i]) {
      if (!e.id.empty())
        stored_ids.insert(e.id);
      if (!e.activity_id.empty())
        activity_ids.insert(e.activity_id);
      if (!e.contact_id.empty())
        contact_ids.insert(e.contact_id);
    }
    json detail{{"id", e.id},
                {"type", e.type},
                {"apiVersion", to_string(e.version)},
                {"stored", stored[i]}};
    if (!e.activity_id.empty())
      detail["activity_id"] = e.activity_id;
    if (!e.contact_id.empty())
      detail["contact_id"] = e.contact_id;
    details.push_back(std::move(detail));
  }
  for (const auto& id : event_ids)
    if (!stored_ids.contains(id))
      rejected_ids.insert(id);

  auto list = [](const std::set<std::string>& ids) { return json(ids); };
  return {{"scenario", p.name},
          {"seed", p.seed},
          {"event_ids", list(event_ids)},
          {"stored_event_ids", list(stored_ids)},
          {"rejected_event_ids", list(rejected_ids)},
          {"activity_ids", list(activity_ids)},
          {"contact_ids", list(contact_ids)},
          {"counts",
           {{"deliveries", p.deliveries()},
            {"event_ids", event_ids.size()},
            {"stored_event_ids", stored_ids.size()},
            {"rejected_event_ids", rejected_ids.size()},
            {"activity_ids", activity_ids.size()},
            {"contact_ids", contact_ids.size()}}},
          {"events", std::move(details)}};
}

}  // namespace crmd::openphone_emulator
