#include "integrations/openphone/webhook_fields.hpp"

namespace crmd::integrations::openphone {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool digits(std::string_view text, std::size_t from, std::size_t count) {
  if (text.size() < from + count)
    return false;
  for (std::size_t i = from; i < from + count; ++i)
    if (!is_digit(text[i]))
      return false;
  return true;
}

int number_at(std::string_view text, std::size_t from, std::size_t count) {
  int value = 0;
  for (std::size_t i = from; i < from + count; ++i)
    value = value * 10 + (text[i] - '0');
  return value;
}

bool in_range(std::string_view text, std::size_t from, int low, int high) {
  int value = number_at(text, from, 2);
  return value >= low && value <= high;
}

}  // namespace

std::string_view trim_ascii(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && space(text.back()))
    text.remove_suffix(1);
  return text;
}

bool is_e164(std::string_view text) {
  if (text.size() < 3 || text.size() > 16 || text[0] != '+' || text[1] < '1' || text[1] > '9')
    return false;
  return digits(text, 2, text.size() - 2);
}

bool is_iso_timestamp(std::string_view text) {
  // 2025-05-01T14:00:00
  if (!digits(text, 0, 4) || text.size() < 19 || text[4] != '-' || !digits(text, 5, 2) ||
      text[7] != '-' || !digits(text, 8, 2) || text[10] != 'T' || !digits(text, 11, 2) ||
      text[13] != ':' || !digits(text, 14, 2) || text[16] != ':' || !digits(text, 17, 2))
    return false;
  // 60 allows a leap second.
  if (!in_range(text, 5, 1, 12) || !in_range(text, 8, 1, 31) || !in_range(text, 11, 0, 23) ||
      !in_range(text, 14, 0, 59) || !in_range(text, 17, 0, 60))
    return false;
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    std::size_t start = ++at;
    while (at < text.size() && is_digit(text[at]))
      ++at;
    if (at == start)
      return false;
  }
  std::string_view zone = text.substr(at);
  if (zone == "Z")
    return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits(zone, 1, 2) &&
         zone[3] == ':' && digits(zone, 4, 2) && in_range(zone, 1, 0, 23) &&
         in_range(zone, 4, 0, 59);
}

bool looks_like_email(std::string_view text) {
  auto at = text.find('@');
  if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos)
    return false;
  for (char c : text)
    if (c == ' ' || c == '\t' || c == ',' || c == ';' || c == '<' || c == '>')
      return false;
  std::string_view domain = text.substr(at + 1);
  auto dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && domain.back() != '.';
}

field_reader::field_reader(const nlohmann::json& object, std::string path, std::string& error)
    : object_(object), path_(std::move(path)), error_(error) {}

std::string field_reader::path(std::string_view key) const {
  std::string full = path_;
  full += '.';
  full += key;
  return full;
}

field_reader field_reader::nested(const nlohmann::json& object, std::string_view key) const {
  return field_reader(object, path(key), error_);
}

void field_reader::fail(std::string_view key, std::string_view problem) {
  if (!error_.empty())
    return;
  error_ = path(key);
  error_ += ' ';
  error_ += problem;
}

const nlohmann::json* field_reader::get(std::string_view key) const {
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null())
    return nullptr;
  return &*it;
}

bool field_reader::is_null(std::string_view key) const {
  auto it = object_.find(key);
  return it != object_.end() && it->is_null();
}

std::optional<std::string> field_reader::string(std::string_view key) {
  const auto* value = get(key);
  if (value == nullptr)
    return std::nullopt;
  if (!value->is_string()) {
    fail(key, "must be a string");
    return std::nullopt;
  }
  return value->get_ref<const std::string&>();
}

std::optional<std::string> field_reader::optional_id(std::string_view key) {
  auto value = string(key);
  if (value && value->empty())
    return std::nullopt;
  return value;
}

std::optional<std::string> field_reader::required_string(std::string_view key) {
  auto value = string(key);
  if (!value || value->empty()) {
    fail(key, "is required");
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> field_reader::timestamp(std::string_view key) {
  auto value = string(key);
  if (value && !is_iso_timestamp(*value)) {
    fail(key, "must be an ISO-8601 UTC timestamp");
    return std::nullopt;
  }
  return value;
}

std::optional<double> field_reader::number(std::string_view key) {
  const auto* value = get(key);
  if (value == nullptr)
    return std::nullopt;
  if (!value->is_number()) {
    fail(key, "must be a number");
    return std::nullopt;
  }
  return value->get<double>();
}

const nlohmann::json* field_reader::array(std::string_view key) {
  const auto* value = get(key);
  if (value != nullptr && !value->is_array()) {
    fail(key, "must be an array");
    return nullptr;
  }
  return value;
}

const nlohmann::json* field_reader::object(std::string_view key) {
  const auto* value = get(key);
  if (value != nullptr && !value->is_object()) {
    fail(key, "must be an object");
    return nullptr;
  }
  return value;
}

std::optional<std::vector<std::string>> field_reader::string_array(std::string_view key) {
  const auto* values = array(key);
  if (values == nullptr)
    return std::nullopt;
  std::vector<std::string> out;
  for (const auto& value : *values) {
    if (!value.is_string()) {
      fail(key, "must hold only strings");
      return std::nullopt;
    }
    out.push_back(value.get<std::string>());
  }
  return out;
}

std::vector<std::string> field_reader::phone_list(std::string_view key) {
  std::vector<std::string> out;
  auto add = [&out](std::string_view entry) {
    entry = trim_ascii(entry);
    if (!entry.empty())
      out.emplace_back(entry);
  };
  const auto* value = get(key);
  if (value == nullptr)
    return out;
  if (value->is_string()) {
    std::string_view text = value->get_ref<const std::string&>();
    for (auto comma = text.find(','); comma != std::string_view::npos; comma = text.find(',')) {
      add(text.substr(0, comma));
      text.remove_prefix(comma + 1);
    }
    add(text);
  } else if (value->is_array()) {
    for (const auto& entry : *value) {
      if (!entry.is_string()) {
        fail(key, "must hold only strings");
        return {};
      }
      add(entry.get_ref<const std::string&>());
    }
  } else {
    fail(key, "must be a string or an array of strings");
  }
  return out;
}

std::vector<domain::media_item> field_reader::media(std::string_view key) {
  std::vector<domain::media_item> out;
  const auto* items = array(key);
  if (items == nullptr)
    return out;
  std::string item_key = std::string(key) + "[]";
  for (const auto& item : *items) {
    if (!item.is_object()) {
      fail(key, "must hold only objects");
      return {};
    }
    field_reader entry = nested(item, item_key);
    auto url = entry.string("url");
    auto type = entry.string("type");
    auto duration = entry.number("duration");
    if (entry.failed())
      return {};
    if (duration && *duration < 0) {
      entry.fail("duration", "must not be negative");
      return {};
    }
    if (url && !url->empty())
      out.push_back({std::move(*url), type.value_or(""), duration});
  }
  return out;
}

}  // namespace crmd::integrations::openphone
