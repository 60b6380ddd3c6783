#include "integrations/openphone/rest_contacts.hpp"

#include "integrations/openphone/rest_fields.hpp"

#include <algorithm>

namespace crmd::integrations::openphone {

namespace {

using nlohmann::json;

void add_unique(std::vector<std::string>& list, std::string_view value) {
  if (std::find(list.begin(), list.end(), value) == list.end())
    list.emplace_back(value);
}

// [{name, value, id}]: the values that pass `keep`, trimmed and without repeats.
std::vector<std::string> labelled_values(field_reader& reader, std::string_view key,
                                         bool (*keep)(std::string_view)) {
  std::vector<std::string> out;
  const auto* entries = reader.array(key);
  if (entries == nullptr)
    return out;
  std::string item_key = std::string(key) + "[]";
  for (const auto& entry : *entries) {
    if (!entry.is_object()) {
      reader.fail(key, "must hold only objects");
      return {};
    }
    auto value = reader.nested(entry, item_key).string("value");
    if (!value)
      continue;
    auto text = trim_ascii(*value);
    if (keep(text))
      add_unique(out, text);
  }
  return out;
}

}  // namespace

rest_mapped<domain::contact_change> map_contact(const json& item) {
  using change_type = domain::contact_change;
  if (!item.is_object())
    return rest_failure<change_type>("contact must be an object");
  std::string error;
  field_reader reader(item, "contact", error);
  change_type change;
  if (auto id = reader.required_string("id"))
    change.openphone_id = std::move(*id);
  change.updated_at = reader.timestamp("updatedAt");
  if (const auto* defaults = reader.object("defaultFields")) {
    auto fields = reader.nested(*defaults, "defaultFields");
    change.first_name = fields.string("firstName");
    change.last_name = fields.string("lastName");
    change.company = fields.string("company");
    change.phone_numbers = labelled_values(fields, "phoneNumbers", is_e164);
    change.emails = labelled_values(fields, "emails", looks_like_email);
  }
  return reader_result(reader, error, std::move(change));
}

rest_page<domain::contact_change> map_contact_page(std::string_view body) {
  return map_list<domain::contact_change>(body, map_contact);
}

}  // namespace crmd::integrations::openphone
