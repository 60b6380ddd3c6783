#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace crmd::domain {

struct outgoing_text_error {
  std::string code;  // invalid_body, invalid_idempotency_key
  std::string message;
};

// A text typed in the app: {"body": "..."} with 1–1600 characters (OpenPhone's limit, counted
// in Unicode code points) and at least one that is not white space.
std::variant<std::string, outgoing_text_error> validate_outgoing_text(std::string_view json_body);

// An Idempotency-Key header: 1–128 visible ASCII characters. nullopt header → nullopt key.
std::variant<std::optional<std::string>, outgoing_text_error> validate_idempotency_key(
  std::optional<std::string_view> header);

}  // namespace crmd::domain
