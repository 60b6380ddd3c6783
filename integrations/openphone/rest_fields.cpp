#include "integrations/openphone/rest_fields.hpp"

#include <algorithm>
#include <array>
#include <climits>

namespace crmd::integrations::openphone {

std::vector<std::string> e164_list(field_reader& reader, std::string_view key) {
  auto numbers = reader.phone_list(key);
  for (const auto& number : numbers) {
    if (!is_e164(number)) {
      reader.fail(key, "must hold only E.164 numbers");
      return {};
    }
  }
  return numbers;
}

std::optional<std::string> e164(field_reader& reader, std::string_view key) {
  auto number = reader.string(key);
  if (!number)
    return std::nullopt;
  auto trimmed = std::string(trim_ascii(*number));
  if (!is_e164(trimmed)) {
    reader.fail(key, "must be an E.164 number");
    return std::nullopt;
  }
  return trimmed;
}

void sort_unique(std::vector<std::string>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

std::optional<int> seconds_field(field_reader& reader, std::string_view key) {
  auto value = reader.number(key);
  if (!value)
    return std::nullopt;
  if (!(*value >= 0) || *value > INT_MAX) {
    reader.fail(key, "must be a non-negative number of seconds");
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

}  // namespace crmd::integrations::openphone
