#include "domain/contact_update.hpp"

#include "domain/time_zone.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace crmd::domain {

namespace {

using nlohmann::json;

struct text_field {
  std::string_view name;
  std::size_t max_length;
};

constexpr std::array<text_field, 11> text_fields{{{"first_name", 100},
                                                  {"last_name", 100},
                                                  {"display_name", 200},
                                                  {"company", 200},
                                                  {"email", 320},
                                                  {"street", 200},
                                                  {"city", 100},
                                                  {"state", 100},
                                                  {"postal_code", 20},
                                                  {"country", 100},
                                                  {"time_zone", 64}}};
constexpr std::size_t max_tags = 50;
constexpr std::size_t max_tag_length = 50;

std::string trim(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

contact_update_error field_error(std::string_view field, std::string_view problem) {
  return {"invalid_field", std::string(field) + ": " + std::string(problem)};
}

bool looks_like_email(const std::string& text) {
  auto at = text.find('@');
  return at != std::string::npos && at > 0 && at + 1 < text.size()
         && text.find('@', at + 1) == std::string::npos
         && text.find(' ') == std::string::npos;
}

std::variant<json, contact_update_error> validate_text(const text_field& field, const json& value) {
  if (value.is_null())
    return json();
  if (!value.is_string())
    return field_error(field.name, "must be a string or null");
  auto text = trim(value.get_ref<const std::string&>());
  if (text.empty())
    return json();
  if (text.size() > field.max_length)
    return field_error(field.name, "must be at most " + std::to_string(field.max_length)
                                     + " characters");
  if (field.name == "email" && !looks_like_email(text))
    return field_error(field.name, "must be an email address");
  if (field.name == "time_zone" && !is_known_time_zone(text))
    return field_error(field.name, "must be an IANA time zone name such as America/New_York");
  return json(text);
}

std::variant<json, contact_update_error> validate_tags(const json& value) {
  if (value.is_null())
    return json::array();
  if (!value.is_array())
    return field_error("tags", "must be an array of strings");
  if (value.size() > max_tags)
    return field_error("tags", "at most " + std::to_string(max_tags) + " tags");
  json tags = json::array();
  std::set<std::string> seen;
  for (const auto& tag : value) {
    if (!tag.is_string())
      return field_error("tags", "must be an array of strings");
    auto text = trim(tag.get_ref<const std::string&>());
    if (text.empty() || text.size() > max_tag_length)
      return field_error("tags", "each tag must have 1 to " + std::to_string(max_tag_length)
                                   + " characters");
    if (seen.insert(text).second)
      tags.push_back(text);
  }
  return tags;
}

}  // namespace

std::variant<json, contact_update_error> validate_contact_update(std::string_view body) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return contact_update_error{"invalid_body", "the body must be a JSON object"};
  if (parsed.empty())
    return contact_update_error{"invalid_body", "the body names no field to change"};
  json fields = json::object();
  for (const auto& item : parsed.items()) {
    const std::string& key = item.key();
    const json& value = item.value();
    std::variant<json, contact_update_error> checked;
    if (key == "tags") {
      checked = validate_tags(value);
    } else {
      auto field = std::find_if(text_fields.begin(), text_fields.end(),
                                [&](const text_field& f) { return f.name == key; });
      if (field == text_fields.end())
        return field_error(key, "is not an editable contact field");
      checked = validate_text(*field, value);
    }
    if (auto* error = std::get_if<contact_update_error>(&checked))
      return *error;
    fields[key] = std::move(std::get<json>(checked));
  }
  return fields;
}

}  // namespace crmd::domain
