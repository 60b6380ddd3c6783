#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace crmd::domain {

struct contact_update_error {
  std::string code;   // invalid_body, invalid_field
  std::string message;  // names the field
};

// Validates a PATCH /api/v1/contacts/{id} body: an object whose keys are editable contact fields,
// each a string (trimmed; empty means clear) or null, tags an array of distinct short strings.
// Returns the normalized fields to store (null clears a column).
std::variant<nlohmann::json, contact_update_error> validate_contact_update(std::string_view body);

}  // namespace crmd::domain
