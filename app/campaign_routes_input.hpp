#pragma once

#include "net/http_types.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

// Edge validation of the campaign API's bodies: what reaches the database is well-formed, so the
// SQL of migration V013 stores it without further checks.
namespace crmd::app {

struct campaign_input_error {
  unsigned status = 400;  // 400, or 422 for a template that does not parse
  std::string code;       // invalid_json, invalid_field, invalid_template
  std::string message;
  std::string field;                  // the offending key ("audience.tags"); empty for the body
  std::optional<std::size_t> offset;  // invalid_template: byte offset in the template
};

enum class campaign_input_mode { create, update };

// POST (create: name and template_a required) or PATCH (update: any subset) body → the fields to
// store, normalised: strings trimmed, an empty optional text null, times "HH:MM" and ISO UTC.
// Templates are parsed here (domain::campaign::parse_template), so a send never meets an unknown
// merge field.
std::variant<nlohmann::json, campaign_input_error> validate_campaign_input(
  std::string_view body, campaign_input_mode mode);

// {"error":{"code","message","field"?,"offset"?}}
net::http_response input_error_response(const campaign_input_error& error);

// POST /api/v1/campaigns/{id}/launch body: empty or {"scheduled_at": ISO time | null}; the time
// normalised to UTC, nullopt for now.
std::variant<std::optional<std::string>, campaign_input_error> validate_launch_input(
  std::string_view body);

}  // namespace crmd::app
