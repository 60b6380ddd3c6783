#include "domain/outgoing_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace crmd::domain {

namespace {

constexpr std::size_t max_code_points = 1600;
constexpr std::size_t max_key_length = 128;

// nlohmann has already checked the UTF-8, so counting lead bytes counts code points.
std::size_t code_points(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(
    text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

}  // namespace

std::variant<std::string, outgoing_text_error> validate_outgoing_text(std::string_view json_body) {
  auto parsed = nlohmann::json::parse(json_body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return outgoing_text_error{"invalid_body", "the body must be a JSON object"};
  auto body = parsed.find("body");
  if (body == parsed.end() || !body->is_string())
    return outgoing_text_error{"invalid_body", "body: a string is required"};
  const auto& text = body->get_ref<const std::string&>();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return outgoing_text_error{"invalid_body", "body: the text is empty"};
  if (code_points(text) > max_code_points)
    return outgoing_text_error{"invalid_body", "body: at most 1600 characters"};
  return text;
}

std::variant<std::optional<std::string>, outgoing_text_error> validate_idempotency_key(
  std::optional<std::string_view> header) {
  if (!header)
    return std::optional<std::string>{};
  if (header->empty() || header->size() > max_key_length
      || !std::all_of(header->begin(), header->end(),
                      [](char c) { return c > 0x20 && c < 0x7f; }))
    return outgoing_text_error{"invalid_idempotency_key",
                               "Idempotency-Key must be 1 to 128 visible ASCII characters"};
  return std::optional<std::string>{std::string(*header)};
}

}  // namespace crmd::domain
