#include "app/campaign_routes_input.hpp"

#include "domain/campaign/ab_assignment.hpp"
#include "domain/campaign/audience_filter.hpp"
#include "domain/campaign/message_template.hpp"

#include <algorithm>
#include <cctype>
#include <array>
#include <functional>
#include <map>

namespace crmd::app {

namespace {

using nlohmann::json;
namespace campaign = domain::campaign;

constexpr std::size_t max_name = 200;
constexpr std::size_t max_template = 1600;  // ten SMS segments
constexpr std::size_t max_line = 200;

campaign_input_error invalid(const std::string& field, std::string message) {
  return {.status = 400, .code = "invalid_field", .message = std::move(message), .field = field};
}

std::string trim(const std::string& text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos)
    return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

using checked = std::variant<json, campaign_input_error>;

checked text(const std::string& field, const json& value, std::size_t max, bool optional) {
  if (value.is_null() && optional)
    return json();
  if (!value.is_string())
    return invalid(field, field + " must be a string");
  auto out = trim(value.get<std::string>());
  if (out.empty())
    return optional ? checked(json()) : checked(invalid(field, field + " must not be empty"));
  if (out.size() > max)
    return invalid(field, field + " must be at most " + std::to_string(max) + " bytes");
  return json(out);
}

checked template_text(const std::string& field, const json& value, bool optional) {
  auto checked_text = text(field, value, max_template, optional);
  if (auto* error = std::get_if<campaign_input_error>(&checked_text); error || 
      std::get<json>(checked_text).is_null())
    return checked_text;
  auto parsed = campaign::parse_template(std::get<json>(checked_text).get<std::string>());
  if (auto* error = std::get_if<campaign::template_error>(&parsed))
    return campaign_input_error{.status = 422, .code = "invalid_template",
                                .message = error->message, .field = field,
                                .offset = error->offset};
  return checked_text;
}

checked integer(const std::string& field, const json& value, std::int64_t min, std::int64_t max) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < min ||
      value.get<std::int64_t>() > max)
    return invalid(field, field + " must be an integer from " + std::to_string(min) + " to " +
                            std::to_string(max));
  return value;
}

checked clock_time(const std::string& field, const json& value) {
  auto bad = invalid(field, field + " must be a time of day \"HH:MM\"");
  if (!value.is_string())
    return bad;
  auto t = value.get<std::string>();
  if (t.size() != 5 || t[2] != ':' || !std::isdigit(static_cast<unsigned char>(t[0])) ||
      !std::isdigit(static_cast<unsigned char>(t[1])) ||
      !std::isdigit(static_cast<unsigned char>(t[3])) ||
      !std::isdigit(static_cast<unsigned char>(t[4])))
    return bad;
  if (std::stoi(t.substr(0, 2)) > 23 || std::stoi(t.substr(3, 2)) > 59)
    return bad;
  return value;
}

checked iso_time(const std::string& field, const json& value) {
  if (value.is_null())
    return json();
  auto time = value.is_string() ? campaign::parse_iso_time(value.get<std::string>()) : std::nullopt;
  if (!time)
    return invalid(field, field + " must be an ISO 8601 time with a zone");
  return json(campaign::format_iso_time(*time));
}

checked audience(const std::string& field, const json& value) {
  auto filter = campaign::validate_audience(value);
  if (auto* error = std::get_if<campaign::audience_error>(&filter))
    return invalid(error->field, error->message);
  (void)field;
  return std::get<json>(filter);
}

checked rule(const std::string& field, const json& value) {
  if (!value.is_string() || !campaign::parse_existing_contact_rule(value.get<std::string>()))
    return invalid(field, field + " must be ignore, flag_for_review or adapt_script");
  return value;
}

using validator = std::function<checked(const std::string&, const json&)>;

const std::map<std::string, validator>& validators() {
  static const std::map<std::string, validator> table = {
    {"name", [](auto& f, auto& v) { return text(f, v, max_name, false); }},
    {"template_a", [](auto& f, auto& v) { return template_text(f, v, false); }},
    {"template_b", [](auto& f, auto& v) { return template_text(f, v, true); }},
    {"template_existing", [](auto& f, auto& v) { return template_text(f, v, true); }},
    {"ab_split_percent", [](auto& f, auto& v) { return integer(f, v, 0, 100); }},
    {"opt_out_line", [](auto& f, auto& v) { return text(f, v, max_line, true); }},
    {"from_phone_number_id", [](auto& f, auto& v) { return text(f, v, max_line, true); }},
    {"throttle_per_minute", [](auto& f, auto& v) { return integer(f, v, 1, 1000); }},
    {"daily_cap", [](auto& f, auto& v) { return integer(f, v, 1, 100000); }},
    {"quiet_hours_start", clock_time},
    {"quiet_hours_end", clock_time},
    {"reply_window_hours", [](auto& f, auto& v) { return integer(f, v, 1, 720); }},
    {"on_existing_contact", rule},
    {"audience", audience},
    {"scheduled_at", iso_time},
  };
  return table;
}

}  // namespace

std::variant<json, campaign_input_error> validate_campaign_input(std::string_view body,
                                                                 campaign_input_mode mode) {
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return campaign_input_error{.code = "invalid_json", .message = "the body must be a JSON object"};
  json fields = json::object();
  for (const auto& [key, value] : parsed.items()) {
    auto it = validators().find(key);
    if (it == validators().end())
      return invalid(key, "unknown field '" + key + "'");
    auto result = it->second(key, value);
    if (auto* error = std::get_if<campaign_input_error>(&result))
      return std::move(*error);
    fields[key] = std::move(std::get<json>(result));
  }
  if (mode == campaign_input_mode::create)
    for (const char* required : {"name", "template_a"})
      if (!fields.contains(required))
        return invalid(required, std::string(required) + " is required");
  return fields;
}

net::http_response input_error_response(const campaign_input_error& error) {
  json detail = {{"code", error.code}, {"message", error.message}};
  if (!error.field.empty())
    detail["field"] = error.field;
  if (error.offset)
    detail["offset"] = *error.offset;
  return net::json_response(
    error.status,
    json{{"error", detail}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::variant<std::optional<std::string>, campaign_input_error> validate_launch_input(
  std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return std::optional<std::string>();
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return campaign_input_error{.code = "invalid_json", .message = "the body must be a JSON object"};
  for (const auto& [key, value] : parsed.items())
    if (key != "scheduled_at")
      return invalid(key, "unknown field '" + key + "'");
  if (!parsed.contains("scheduled_at") || parsed["scheduled_at"].is_null())
    return std::optional<std::string>();
  auto time = iso_time("scheduled_at", parsed["scheduled_at"]);
  if (auto* error = std::get_if<campaign_input_error>(&time))
    return std::move(*error);
  return std::optional<std::string>(std::get<json>(time).get<std::string>());
}

}  // namespace crmd::app
