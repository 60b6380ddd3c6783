#include "tools/openphone-emulator/scenario_file.hpp"

#include "tools/openphone-emulator/payloads.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace crmd::openphone_emulator {

namespace {

using nlohmann::json;

const std::set<std::string> top_keys{"seed", "api_version", "description", "events"};
const std::set<std::string> entry_keys{
    "type",   "version", "activity", "contact", "id",     "direction", "outcome", "group", "mms",
    "fields", "remove",  "envelope", "order",   "repeat", "signature", "expect",  "raw",   "note"};

enum class subject { message, call, contact, other };

// Only the types OpenPhone sends get a generated object; any other type (call.missed, a typo)
// is sent with just its `fields`, touching no activity, to test how crmd refuses it.
subject subject_of(std::string_view type) {
  constexpr std::string_view messages[] = {"message.received", "message.delivered"};
  constexpr std::string_view calls[] = {
      "call.ringing",           "call.completed", "call.recording.completed",
      "call.summary.completed", "callSummary",    "call.transcript.completed",
      "callTranscript"};
  constexpr std::string_view contacts[] = {"contact.updated", "contact.deleted"};
  auto listed = [type](const auto& names) {
    return std::find(std::begin(names), std::end(names), type) != std::end(names);
  };
  if (listed(messages))
    return subject::message;
  if (listed(calls))
    return subject::call;
  if (listed(contacts))
    return subject::contact;
  return subject::other;
}

bool is_summary(std::string_view type) {
  return type == "call.summary.completed" || type == "callSummary";
}

bool is_transcript(std::string_view type) {
  return type == "call.transcript.completed" || type == "callTranscript";
}

struct labelled_fact {
  subject kind = subject::other;
  message_fact message;
  call_fact call;
  contact_fact contact;
};

class file_parser {
 public:
  file_parser(const world& w, std::int64_t start_ms) : world_(w), start_ms_(start_ms) {}

  plan parse(const json& doc);

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw std::runtime_error("events[" + std::to_string(index_) + "]: " + problem);
  }

  std::optional<std::string> text(const json& e, const char* key) const {
    auto it = e.find(key);
    if (it == e.end() || it->is_null())
      return std::nullopt;
    if (!it->is_string())
      fail(std::string(key) + " must be a string");
    return it->get<std::string>();
  }

  std::optional<std::int64_t> integer(const json& e, const char* key) const {
    auto it = e.find(key);
    if (it == e.end() || it->is_null())
      return std::nullopt;
    if (!it->is_number_integer())
      fail(std::string(key) + " must be an integer");
    return it->get<std::int64_t>();
  }

  std::optional<bool> flag(const json& e, const char* key) const {
    auto it = e.find(key);
    if (it == e.end() || it->is_null())
      return std::nullopt;
    if (!it->is_boolean())
      fail(std::string(key) + " must be true or false");
    return it->get<bool>();
  }

  const json* object_at(const json& e, const char* key) const {
    auto it = e.find(key);
    if (it == e.end() || it->is_null())
      return nullptr;
    if (!it->is_object())
      fail(std::string(key) + " must be an object");
    return &*it;
  }

  void add_entry(const json& e, std::map<std::int64_t, wave>& waves);
  generated_event build_event(const json& e, const std::string& type);
  std::string label_of(const json& e, subject kind) const;
  fact_choices choices_of(const json& e) const;
  void gather_choices(const json& events);
  labelled_fact& fact_for(const json& e, const std::string& type);
  json object_for(const labelled_fact& fact, const std::string& type, dialect version,
                  std::int64_t& at_ms, std::string& link) const;
  delivery delivery_for(const json& e, std::size_t event) const;

  const world& world_;
  std::int64_t start_ms_;
  dialect default_version_ = dialect::v3;
  std::map<std::string, fact_choices> choices_;
  std::map<std::string, labelled_fact> facts_;
  std::size_t index_ = 0;
  plan plan_;
};

plan file_parser::parse(const json& doc) {
  if (!doc.is_object())
    throw std::runtime_error("a scenario file is a JSON object");
  for (const auto& [key, value] : doc.items())
    if (!top_keys.contains(key))
      throw std::runtime_error("unknown key " + key);
  if (auto version = doc.find("api_version"); version != doc.end()) {
    if (*version != "v3" && *version != "v4")
      throw std::runtime_error("api_version must be v3 or v4");
    default_version_ = *version == "v4" ? dialect::v4 : dialect::v3;
  }
  auto events = doc.find("events");
  if (events == doc.end() || !events->is_array() || events->empty())
    throw std::runtime_error("events must be a non-empty array");
  plan_.name = "file";
  plan_.seed = world_.seed;
  gather_choices(*events);
  std::map<std::int64_t, wave> waves;
  for (index_ = 0; index_ < events->size(); ++index_)
    add_entry((*events)[index_], waves);
  for (auto& [order, w] : waves)
    plan_.waves.push_back(std::move(w));
  return std::move(plan_);
}

void file_parser::add_entry(const json& e, std::map<std::int64_t, wave>& waves) {
  if (!e.is_object())
    fail("must be an object");
  for (const auto& [key, value] : e.items())
    if (!entry_keys.contains(key))
      fail("unknown key " + key);
  auto raw = text(e, "raw");
  auto type = text(e, "type");
  if (!type && !raw)
    fail("type is required (or raw)");
  std::size_t event = plan_.events.size();
  if (raw) {
    generated_event verbatim;
    verbatim.id = text(e, "id").value_or("");
    verbatim.type = type.value_or("");
    verbatim.body = *raw;
    plan_.events.push_back(std::move(verbatim));
  } else {
    plan_.events.push_back(build_event(e, *type));
  }
  auto repeat = integer(e, "repeat").value_or(1);
  if (repeat < 1 || repeat > 1000)
    fail("repeat must be between 1 and 1000");
  sequence copies(static_cast<std::size_t>(repeat), delivery_for(e, event));
  waves[integer(e, "order").value_or(static_cast<std::int64_t>(index_))].sequences.push_back(
      std::move(copies));
}

delivery file_parser::delivery_for(const json& e, std::size_t event) const {
  delivery d{event};
  d.garbling = index_;
  if (auto name = text(e, "signature")) {
    auto mode = signing_from(*name);
    if (!mode)
      fail("signature must be valid, wrong-key, garbled, missing or stale");
    d.sign = *mode;
  }
  d.expect = d.sign == signing::valid ? expectation{} : expectation::rejected();
  auto it = e.find("expect");
  if (it == e.end() || it->is_null())
    return d;
  if (it->is_number_integer()) {
    auto status = it->get<std::int64_t>();
    if (status < 100 || status > 599)
      fail("expect must be an HTTP status");
    d.expect = {expectation::kind::status, static_cast<unsigned>(status)};
  } else if (*it == "ack") {
    d.expect = {};
  } else if (*it == "duplicate") {
    d.expect = {expectation::kind::duplicate};
  } else if (*it == "reject") {
    d.expect = expectation::rejected();
  } else {
    fail("expect must be ack, duplicate, reject or a status code");
  }
  return d;
}

std::string file_parser::label_of(const json& e, subject kind) const {
  if (auto label = text(e, kind == subject::contact ? "contact" : "activity"))
    return *label;
  // Without a label, entries that name one event id share a fact (so they send the same
  // bytes); any other entry is an activity of its own.
  auto id = text(e, "id");
  return id ? "id:" + *id : "#" + std::to_string(index_);
}

fact_choices file_parser::choices_of(const json& e) const {
  fact_choices choices;
  choices.direction = text(e, "direction");
  if (choices.direction && *choices.direction != "incoming" && *choices.direction != "outgoing")
    fail("direction must be incoming or outgoing");
  if (auto outcome = text(e, "outcome")) {
    choices.outcome = call_outcome_from(*outcome);
    if (!choices.outcome)
      fail("outcome must be answered, missed, voicemail or forwarded");
  }
  choices.group = flag(e, "group");
  choices.mms = flag(e, "mms");
  return choices;
}

// A fact is drawn at its label's first entry, but any entry may pin a choice (the outcome on
// call.completed, say, after a summary entry): so all entries' choices are merged first.
void file_parser::gather_choices(const json& events) {
  auto merge = [this](auto& into, const auto& from, const char* name) {
    if (from && into && *into != *from)
      fail(std::string("conflicting ") + name + " for one activity");
    if (from)
      into = from;
  };
  for (index_ = 0; index_ < events.size(); ++index_) {
    const auto& e = events[index_];
    if (!e.is_object() || e.contains("raw") || !e.contains("type") || !e["type"].is_string())
      continue;
    subject kind = subject_of(e["type"].get<std::string>());
    if (kind == subject::other)
      continue;
    auto found = choices_of(e);
    auto& merged = choices_[label_of(e, kind)];
    merge(merged.direction, found.direction, "direction");
    merge(merged.outcome, found.outcome, "outcome");
    merge(merged.group, found.group, "group");
    merge(merged.mms, found.mms, "mms");
  }
}

labelled_fact& file_parser::fact_for(const json& e, const std::string& type) {
  subject kind = subject_of(type);
  std::string key = label_of(e, kind);
  if (auto it = facts_.find(key); it != facts_.end()) {
    if (it->second.kind != kind)
      fail("label " + key + " already names a different kind of activity");
    return it->second;
  }
  std::uint64_t ordinal = facts_.size();
  std::uint64_t story = scripted_story_base + ordinal;
  std::int64_t time_ms = start_ms_ + static_cast<std::int64_t>(ordinal) * default_story_gap_ms;
  rng random(mix64(mix64(world_.seed) + story));
  fact_choices choices = choices_[key];
  if (kind == subject::message && !choices.direction)
    choices.direction = type == "message.received" ? "incoming" : "outgoing";

  labelled_fact fact{kind};
  if (kind == subject::message)
    fact.message = draw_message(world_, random, story, time_ms, choices);
  else if (kind == subject::call)
    fact.call = draw_call(world_, random, story, time_ms, choices);
  else if (kind == subject::contact)
    fact.contact = draw_contact(world_, random, time_ms);
  return facts_.emplace(key, std::move(fact)).first->second;
}

// The object OpenPhone would send for `type`, and when: offsets are fixed rather than drawn, so
// two entries for the same event produce the same bytes.
json file_parser::object_for(const labelled_fact& fact, const std::string& type, dialect version,
                             std::int64_t& at_ms, std::string& link) const {
  switch (fact.kind) {
    case subject::message: {
      const auto& m = fact.message;
      link = deep_link(m.phone_number_id, m.conversation_id, m.id);
      at_ms = m.created_ms + 500;
      bool received = type == "message.received";
      auto status = received ? (version == dialect::v3 ? "received" : "delivered") : "delivered";
      return message_object(m, version, status);
    }
    case subject::call: {
      const auto& c = fact.call;
      link = deep_link(c.phone_number_id, c.conversation_id, c.id);
      if (is_summary(type)) {
        at_ms = c.completed_ms + 30000;
        return summary_object(c);
      }
      if (is_transcript(type)) {
        at_ms = c.completed_ms + 75000;
        return transcript_object(c);
      }
      if (type == "call.ringing") {
        at_ms = c.created_ms + 100;
        return call_object(c, version, call_stage::ringing);
      }
      bool recording = type == "call.recording.completed";
      at_ms = c.completed_ms + (recording ? 10000 : 500);
      return call_object(c, version, recording ? call_stage::recording : call_stage::completed);
    }
    case subject::contact:
      at_ms = fact.contact.updated_ms + 500;
      return contact_object(fact.contact);
    case subject::other: break;
  }
  at_ms = start_ms_ + static_cast<std::int64_t>(index_) * default_story_gap_ms;
  return json::object();
}

generated_event file_parser::build_event(const json& e, const std::string& type) {
  dialect version = default_version_;
  if (auto name = text(e, "version")) {
    if (*name != "v3" && *name != "v4")
      fail("version must be v3 or v4");
    version = *name == "v4" ? dialect::v4 : dialect::v3;
  }
  const labelled_fact* fact = nullptr;
  if (subject_of(type) != subject::other)
    fact = &fact_for(e, type);
  std::int64_t at_ms = 0;
  std::string link;
  json object = fact ? object_for(*fact, type, version, at_ms, link)
                     : object_for(labelled_fact{}, type, version, at_ms, link);
  if (const auto* fields = object_at(e, "fields"))
    for (const auto& [key, value] : fields->items())
      object[key] = value;
  if (auto it = e.find("remove"); it != e.end()) {
    if (!it->is_array())
      fail("remove must be an array of keys");
    for (const auto& key : *it)
      if (key.is_string())
        object.erase(key.get<std::string>());
  }
  // Scripted ids live above every generated story's, one per entry.
  std::string id = text(e, "id").value_or(mint_id(
      "EV", world_.seed, id_kind::event, scripted_story_base * max_events_per_story + index_));
  bool names_call = is_summary(type) || is_transcript(type);
  std::string subject_id = object.value(names_call ? "callId" : "id", "");
  json env = envelope(id, version, type, at_ms, std::move(object), link);
  if (const auto* overrides = object_at(e, "envelope"))
    for (const auto& [key, value] : overrides->items())
      env[key] = value;
  bool contact = fact && fact->kind == subject::contact;
  return make_event(std::move(env), contact || !fact ? std::string() : subject_id,
                    contact ? subject_id : std::string());
}

}  // namespace

json read_scenario_file(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, false, true);
  if (doc.is_discarded())
    throw std::runtime_error(path + " is not valid JSON");
  return doc;
}

std::optional<std::uint64_t> scenario_file_seed(const json& doc) {
  auto it = doc.is_object() ? doc.find("seed") : doc.end();
  if (!doc.is_object() || it == doc.end() || !it->is_number_unsigned())
    return std::nullopt;
  return it->get<std::uint64_t>();
}

plan scenario_from_json(const json& doc, const world& w, std::int64_t start_ms) {
  return file_parser(w, start_ms).parse(doc);
}

}  // namespace crmd::openphone_emulator
