#include "tools/openphone-emulator/rest_send.hpp"

#include "tools/openphone-emulator/rest_errors.hpp"
#include "tools/openphone-emulator/rest_query.hpp"
#include "tools/openphone-emulator/world.hpp"

#include <algorithm>
#include <functional>

namespace crmd::openphone_emulator::rest {

namespace {

using nlohmann::json;

constexpr std::size_t max_content = 1600;
constexpr std::size_t max_recipients = 10;

rest_response invalid(std::string message) {
  return error_response(400, resource::messages, std::move(message));
}

std::size_t code_points(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

bool is_phone_number_id(std::string_view text) {
  return text.size() > 2 && text.starts_with("PN") &&
         std::all_of(text.begin() + 2, text.end(),
                     [](unsigned char c) { return std::isalnum(c); });
}

// Resolves `from` to (PN id, E.164).
void resolve_sender(const dataset& data, const std::string& from, accepted_text& text) {
  auto known = std::find_if(data.numbers.begin(), data.numbers.end(), [&](const phone_number& n) {
    return n.id == from || n.number == from;
  });
  if (known != data.numbers.end()) {
    text.phone_number_id = known->id;
    text.from = known->number;
    return;
  }
  auto hash = mix64(std::hash<std::string>{}(from));
  if (is_phone_number_id(from)) {
    text.phone_number_id = from;
    text.from = "+1555" + std::to_string(1000000 + hash % 9000000);
  } else {
    text.phone_number_id = "PN" + std::to_string(hash % 1000000000);
    text.from = from;
  }
}

}  // namespace

std::variant<accepted_text, rest_response> accept_text(const dataset& data, std::string_view body,
                                                       std::string id, std::int64_t now_ms) {
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return invalid("the body must be a JSON object");
  auto content = parsed.find("content");
  if (content == parsed.end() || !content->is_string())
    return invalid("content is required");
  const auto& text_content = content->get_ref<const std::string&>();
  if (text_content.find_first_not_of(" \t\r\n") == std::string::npos ||
      code_points(text_content) > max_content)
    return invalid("content must have 1 to 1600 characters with at least one non-space");
  auto from = parsed.find("from");
  if (from == parsed.end() || !from->is_string() ||
      !(is_phone_number_id(from->get_ref<const std::string&>()) ||
        is_e164(from->get_ref<const std::string&>())))
    return invalid("from must be a phone number id (PN…) or an E.164 number");
  auto to = parsed.find("to");
  if (to == parsed.end() || !to->is_array() || to->empty() || to->size() > max_recipients)
    return invalid("to must list 1 to 10 E.164 numbers");
  accepted_text text{.id = std::move(id), .content = text_content, .created_ms = now_ms};
  for (const auto& number : *to) {
    if (!number.is_string() || !is_e164(number.get_ref<const std::string&>()))
      return invalid("to must list 1 to 10 E.164 numbers");
    text.to.push_back(number.get<std::string>());
  }
  if (auto user = parsed.find("userId"); user != parsed.end() && user->is_string())
    text.user_id = user->get<std::string>();
  resolve_sender(data, from->get<std::string>(), text);
  return text;
}

rest_response accepted_response(const accepted_text& text) {
  json message{{"id", text.id},
               {"to", text.to},
               {"from", text.from},
               {"text", text.content},
               {"phoneNumberId", text.phone_number_id},
               {"direction", "outgoing"},
               {"userId", text.user_id.empty() ? json(nullptr) : json(text.user_id)},
               {"status", "sent"},
               {"createdAt", iso_utc(text.created_ms)},
               {"updatedAt", iso_utc(text.created_ms)}};
  return {202, json{{"data", std::move(message)}}.dump(), {}};
}

json sent_entry(const accepted_text& text) {
  return {{"id", text.id},
          {"phoneNumberId", text.phone_number_id},
          {"from", text.from},
          {"to", text.to},
          {"content", text.content},
          {"userId", text.user_id},
          {"createdAt", iso_utc(text.created_ms)},
          {"acceptedMs", text.created_ms}};
}

}  // namespace crmd::openphone_emulator::rest
