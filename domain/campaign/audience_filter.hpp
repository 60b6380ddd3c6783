#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

// A campaign's audience filter as the builder sends it, checked before it is stored (the SQL of
// migration V013 reads it without further checks):
//   {"all_contacts": bool, "tags": [text…], "sources": [contact source…],
//    "last_contacted_before": ts, "last_contacted_after": ts, "never_contacted": bool,
//    "has_open_quote": bool}
// Every key is optional and a null value is the same as an absent key. Tags and sources match
// any-of; a boolean constrains only when true. An empty filter selects nobody (a campaign may be
// made of uploaded members alone); "all_contacts" selects every contact with a number.
namespace crmd::domain::campaign {

struct audience_error {
  std::string field;  // "audience.tags"
  std::string message;
};

// The filter normalised: nulls dropped, tags trimmed and de-duplicated, times as
// "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::variant<nlohmann::json, audience_error> validate_audience(const nlohmann::json& audience);

// An ISO 8601 time with a zone ("2026-03-01T09:30:00Z", "…+02:00", fractions allowed) or a bare
// date (midnight UTC); nullopt otherwise.
std::optional<std::chrono::sys_time<std::chrono::milliseconds>> parse_iso_time(
  std::string_view text);

// "YYYY-MM-DDTHH:MM:SS.mmmZ"
std::string format_iso_time(std::chrono::sys_time<std::chrono::milliseconds> time);

}  // namespace crmd::domain::campaign
