#pragma once

#include "domain/webhook_event.hpp"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

// Turns one raw OpenPhone webhook body (openphone-api.md §6, dialects v2/v3 and v4) into a
// domain::webhook_event, or a rejection with a stable code. Pure and never throws: the body is
// hostile input until its signature is checked, and even then its field types are not trusted.
namespace crmd::integrations::openphone {

namespace rejection_code {
inline constexpr std::string_view invalid_json = "invalid_json";
inline constexpr std::string_view missing_event_id = "missing_event_id";
inline constexpr std::string_view unsupported_event_type = "unsupported_event_type";
inline constexpr std::string_view invalid_payload = "invalid_payload";
}  // namespace rejection_code

// Legitimate payloads nest about six levels; anything deeper is rejected before it can reach
// code that walks JSON recursively (copying, dumping to the database).
inline constexpr int max_payload_depth = 32;

struct parse_options {
  // Our OpenPhone numbers (E.164), when the caller knows them. v4 call payloads list our number
  // inside participants[] without saying which entry it is, and v3 group messages list it among
  // several `to` numbers; this list keeps it out of the external participants in both cases.
  std::vector<std::string> our_numbers;
};

using parse_result = std::variant<domain::webhook_event, domain::webhook_rejection>;

parse_result parse_webhook(std::string_view raw_body, const parse_options& options = {});

}  // namespace crmd::integrations::openphone
