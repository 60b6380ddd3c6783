#include "integrations/openphone/webhook_parser.hpp"

#include "integrations/openphone/webhook_activity.hpp"
#include "integrations/openphone/webhook_fields.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace crmd::integrations::openphone {

namespace {

using nlohmann::json;

enum class event_kind { activity, contact_updated, contact_deleted };

struct event_spec {
  std::string_view wire_type;
  std::string_view canonical_type;
  event_kind kind;
  activity_kind activity = activity_kind::message;
};

// The docs' v4 samples show `callSummary`/`callTranscript` as the type, while real deliveries
// say call.summary.completed/call.transcript.completed: both are accepted, and reported under
// the real name so everything downstream sees one spelling.
constexpr std::array<event_spec, 11> event_specs{{
    {"message.received", "message.received", event_kind::activity, activity_kind::message},
    {"message.delivered", "message.delivered", event_kind::activity, activity_kind::message},
    {"call.ringing", "call.ringing", event_kind::activity, activity_kind::call},
    {"call.completed", "call.completed", event_kind::activity, activity_kind::call},
    {"call.recording.completed", "call.recording.completed", event_kind::activity,
     activity_kind::recording},
    {"call.summary.completed", "call.summary.completed", event_kind::activity,
     activity_kind::summary},
    {"callSummary", "call.summary.completed", event_kind::activity, activity_kind::summary},
    {"call.transcript.completed", "call.transcript.completed", event_kind::activity,
     activity_kind::transcript},
    {"callTranscript", "call.transcript.completed", event_kind::activity,
     activity_kind::transcript},
    {"contact.updated", "contact.updated", event_kind::contact_updated},
    {"contact.deleted", "contact.deleted", event_kind::contact_deleted},
}};

const event_spec* find_spec(std::string_view type) {
  auto it = std::find_if(event_specs.begin(), event_specs.end(),
                         [type](const event_spec& spec) { return spec.wire_type == type; });
  return it == event_specs.end() ? nullptr : &*it;
}

// Nesting depth of a body already known to be valid JSON: brackets outside strings.
int nesting_depth(std::string_view body) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

void add_unique(std::vector<std::string>& list, std::string_view value) {
  if (std::find(list.begin(), list.end(), value) == list.end())
    list.emplace_back(value);
}

// A custom-field value is user data of any type; only strings that look like a phone number
// or an e-mail say anything about the contact, the rest is ignored rather than rejected.
void collect_contact_value(const json& value, domain::contact_change& change) {
  if (!value.is_string())
    return;
  auto text = trim_ascii(value.get_ref<const std::string&>());
  if (is_e164(text))
    add_unique(change.phone_numbers, text);
  else if (looks_like_email(text))
    add_unique(change.emails, text);
}

// REST shape: defaultFields.phoneNumbers/emails = [{name, value, id}].
void collect_labelled(field_reader& reader, std::string_view key, bool phones,
                      domain::contact_change& change) {
  const auto* entries = reader.array(key);
  if (entries == nullptr)
    return;
  for (const auto& entry : *entries) {
    if (!entry.is_object()) {
      reader.fail(key, "must hold only objects");
      return;
    }
    auto value = reader.nested(entry, std::string(key) + "[]").string("value");
    if (!value)
      continue;
    auto text = trim_ascii(*value);
    if (phones ? is_e164(text) : looks_like_email(text))
      add_unique(phones ? change.phone_numbers : change.emails, text);
  }
}

// The v3 webhook contact keeps names at the top and everything else in `fields`
// ({label: value or [values]}); the REST contact nests them in defaultFields. Both are read,
// top-level names first.
std::optional<domain::contact_change> read_contact(const json& object, std::string& error) {
  field_reader reader(object, "data.object", error);
  domain::contact_change change;
  if (auto id = reader.required_string("id"))
    change.openphone_id = std::move(*id);
  change.first_name = reader.string("firstName");
  change.last_name = reader.string("lastName");
  change.company = reader.string("company");
  change.updated_at = reader.timestamp("updatedAt");
  if (const auto* fields = reader.object("fields")) {
    for (const auto& [label, value] : fields->items()) {
      if (value.is_array()) {
        for (const auto& item : value)
          collect_contact_value(item, change);
      } else {
        collect_contact_value(value, change);
      }
    }
  }
  if (const auto* defaults = reader.object("defaultFields")) {
    auto nested = reader.nested(*defaults, "defaultFields");
    if (!change.first_name)
      change.first_name = nested.string("firstName");
    if (!change.last_name)
      change.last_name = nested.string("lastName");
    if (!change.company)
      change.company = nested.string("company");
    collect_labelled(nested, "phoneNumbers", true, change);
    collect_labelled(nested, "emails", false, change);
  }
  if (reader.failed())
    return std::nullopt;
  return change;
}

std::optional<domain::contact_removal> read_removal(const json& object, std::string& error) {
  field_reader reader(object, "data.object", error);
  auto id = reader.required_string("id");
  if (!id)
    return std::nullopt;
  return domain::contact_removal{std::move(*id)};
}

std::optional<domain::event_change> read_change(const event_spec& spec, const json& object,
                                                const parse_options& options, std::string& error) {
  switch (spec.kind) {
    case event_kind::activity:
      if (auto change = read_activity(spec.activity, object, options, error))
        return domain::event_change{std::move(*change)};
      return std::nullopt;
    case event_kind::contact_updated:
      if (auto change = read_contact(object, error))
        return domain::event_change{std::move(*change)};
      return std::nullopt;
    case event_kind::contact_deleted:
      if (auto removal = read_removal(object, error))
        return domain::event_change{std::move(*removal)};
      return std::nullopt;
  }
  return std::nullopt;
}

std::string string_or_empty(const json& envelope, std::string_view key) {
  auto it = envelope.find(key);
  return it != envelope.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

parse_result parse_webhook(std::string_view raw_body, const parse_options& options) {
  domain::webhook_rejection rejection;
  auto reject = [&rejection](std::string_view code, std::string message) {
    rejection.code = code;
    rejection.message = std::move(message);
    return parse_result{std::move(rejection)};
  };
  // nlohmann's parser and destructor are iterative, so any depth is safe up to here.
  json envelope = json::parse(raw_body.begin(), raw_body.end(), nullptr, false);
  if (envelope.is_discarded())
    return reject(rejection_code::invalid_json, "body is not valid JSON");
  if (!envelope.is_object())
    return reject(rejection_code::invalid_payload, "body must be a JSON object");

  // Whatever the envelope names is kept on a rejection too, so the raw payload can be stored.
  rejection.event_id = string_or_empty(envelope, "id");
  rejection.event_type = string_or_empty(envelope, "type");
  rejection.api_version = string_or_empty(envelope, "apiVersion");
  if (rejection.event_id.empty())
    return reject(rejection_code::missing_event_id, "id is required");

  std::string error;
  field_reader reader(envelope, "envelope", error);
  auto type = reader.required_string("type");
  auto object_name = reader.string("object");
  reader.string("apiVersion");
  auto created_at = reader.timestamp("createdAt");
  if (reader.failed())
    return reject(rejection_code::invalid_payload, error);
  if (object_name && *object_name != "event")
    return reject(rejection_code::invalid_payload, "envelope.object must be \"event\"");
  const event_spec* spec = find_spec(*type);
  if (spec == nullptr)
    return reject(rejection_code::unsupported_event_type, "unsupported event type " + *type);
  if (nesting_depth(raw_body) > max_payload_depth)
    return reject(rejection_code::invalid_payload, "payload nests too deeply");

  const json* data = reader.object("data");
  const json* object = data == nullptr ? nullptr : reader.nested(*data, "data").object("object");
  if (reader.failed())
    return reject(rejection_code::invalid_payload, error);
  if (object == nullptr)
    return reject(rejection_code::invalid_payload, "data.object is required");
  auto change = read_change(*spec, *object, options, error);
  if (!change)
    return reject(rejection_code::invalid_payload, error);

  return domain::webhook_event{
      .event_id = std::move(rejection.event_id),
      .event_type = std::string(spec->canonical_type),
      .api_version = std::move(rejection.api_version),
      .created_at = created_at.value_or(""),
      .change = std::move(*change),
  };
}

}  // namespace crmd::integrations::openphone
