#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Reading a REST request's target: the query string, ids, E.164 numbers and timestamps.
namespace crmd::openphone_emulator::rest {

// Splits "path?query" (the query without '?', empty when there is none).
std::pair<std::string_view, std::string_view> split_target(std::string_view target);

// Percent-decodes `text`. With `plus_is_space` a '+' is a space, as in form-encoded query
// strings and on the live API: a number sent as a bare "+1…" arrives as " 1…" and fails the E.164
// check, which is why clients must send %2B (openphone-api.md §4). nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

class query_params {
 public:
  // nullopt when an escape is malformed.
  static std::optional<query_params> parse(std::string_view query);

  // Values of `name` in order, whether sent as name=v, name[]=v or name[0]=v (OpenPhone's
  // clients use all three forms for arrays, and a single scalar too).
  std::vector<std::string> all(std::string_view name) const;
  std::optional<std::string> first(std::string_view name) const;
  bool has(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;  // names without brackets
};

bool is_e164(std::string_view text);

// `prefix` followed by 1–64 letters and digits (PN…, US…, AC…).
bool is_prefixed_id(std::string_view text, std::string_view prefix);

// An integer in [low, high] written in plain decimal digits.
std::optional<int> parse_bounded(std::string_view text, int low, int high);

// ISO-8601 date-time with seconds, optional fraction and Z or ±HH:MM → unix ms.
std::optional<std::int64_t> parse_iso_ms(std::string_view text);

}  // namespace crmd::openphone_emulator::rest
