#pragma once

#include "integrations/openphone/rest_envelope.hpp"
#include "integrations/openphone/statuses.hpp"
#include "integrations/openphone/webhook_fields.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Field rules shared by the REST mappers (rest_*.cpp). REST objects are typed by OpenPhone's
// spec, so where the webhook mapper tolerates a malformed number, these refuse the item.
namespace crmd::integrations::openphone {

// The mapped value, or the first error the reader recorded while reading it.
template <class T>
rest_mapped<T> reader_result(const field_reader& reader, std::string& error, T value) {
  if (reader.failed())
    return rest_failure<T>(std::move(error));
  return {std::move(value), {}};
}

// Every entry of `key` (an array of strings, or one string) must be E.164; the first that is
// not fails the reader. Entries are trimmed.
std::vector<std::string> e164_list(field_reader& reader, std::string_view key);

// An optional string that, when present, must be E.164.
std::optional<std::string> e164(field_reader& reader, std::string_view key);

void sort_unique(std::vector<std::string>& values);

// A non-negative whole number of seconds (fractions are dropped), or the reader fails.
std::optional<int> seconds_field(field_reader& reader, std::string_view key);

}  // namespace crmd::integrations::openphone
