#include "integrations/llm/chat_response.hpp"

#include <nlohmann/json.hpp>

namespace crmd::integrations::llm {

namespace {

using nlohmann::json;

// A completion nests four levels; anything far deeper is not one, and is refused before the
// recursive parser walks it.
constexpr int max_depth = 64;

bool too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > max_depth)
        return true;
    } else if (c == '}' || c == ']')
      --depth;
  }
  return false;
}

json parse_object(std::string_view text) {
  if (too_deep(text))
    return json(json::value_t::discarded);
  return json::parse(text.begin(), text.end(), nullptr, false);
}

response_error fail(std::string code, std::string message) {
  return {std::move(code), std::move(message)};
}

// Models asked for JSON still wrap it in a Markdown fence now and then: ```json … ```.
std::string_view strip_fence(std::string_view text) {
  auto blank = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!text.empty() && blank(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && blank(text.back()))
    text.remove_suffix(1);
  if (!text.starts_with("```") || text.size() < 6 || !text.ends_with("```"))
    return text;
  text.remove_suffix(3);
  auto newline = text.find('\n');
  return newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
}

const json* choice_message(const json& body) {
  auto choices = body.find("choices");
  if (choices == body.end() || !choices->is_array() || choices->empty()
      || !(*choices)[0].is_object())
    return nullptr;
  return &(*choices)[0];
}

classify_result read_content(std::string_view content) {
  auto parsed = parse_object(strip_fence(content));
  if (!parsed.is_object())
    return fail("content_not_json", "the model's answer is not a JSON object");
  auto label = parsed.find("classification");
  if (label == parsed.end() || !label->is_string())
    return fail("invalid_classification", "the model's answer has no \"classification\" string");
  auto what = parse_verdict(label->get_ref<const std::string&>());
  if (!what)
    return fail("invalid_classification",
                "\"classification\" is not positive, negative or neutral: "
                  + clean_reason(label->get_ref<const std::string&>()));
  auto reason = parsed.find("reason");
  if (reason != parsed.end() && !reason->is_string() && !reason->is_null())
    return fail("invalid_reason", "\"reason\" is not a string");
  classification out{*what, {}};
  if (reason != parsed.end() && reason->is_string())
    out.reason = clean_reason(reason->get_ref<const std::string&>());
  return out;
}

}  // namespace

classify_result parse_classify_response(std::string_view body) {
  auto parsed = parse_object(body);
  if (parsed.is_discarded() || !parsed.is_object())
    return fail("invalid_json", "the completion is not a JSON object");
  const auto* choice = choice_message(parsed);
  if (choice == nullptr)
    return fail("no_choices", "the completion has no choices[0] object");
  auto message = choice->find("message");
  if (message == choice->end() || !message->is_object())
    return fail("no_content", "choices[0] has no message object");
  if (auto refusal = message->find("refusal"); refusal != message->end() && refusal->is_string()
                                                && !refusal->get_ref<const std::string&>().empty())
    return fail("refused",
                "the model refused: " + clean_reason(refusal->get_ref<const std::string&>()));
  auto finish = choice->find("finish_reason");
  if (finish != choice->end() && finish->is_string() && *finish == "length")
    return fail("truncated", "the model's answer was cut off (finish_reason length)");
  auto content = message->find("content");
  if (content == message->end() || !content->is_string())
    return fail("no_content", "choices[0].message.content is missing or not a string");
  return read_content(content->get_ref<const std::string&>());
}

std::string error_summary(std::string_view body) {
  auto parsed = parse_object(body);
  if (parsed.is_object()) {
    auto error = parsed.find("error");
    if (error != parsed.end() && error->is_object()) {
      std::string text;
      for (const char* key : {"type", "code", "message"})
        if (auto field = error->find(key); field != error->end() && field->is_string()) {
          if (!text.empty())
            text += ": ";
          text += field->get_ref<const std::string&>();
        }
      if (!text.empty())
        return clean_reason(text);
    }
    if (error != parsed.end() && error->is_string())
      return clean_reason(error->get_ref<const std::string&>());
    if (auto message = parsed.find("message"); message != parsed.end() && message->is_string())
      return clean_reason(message->get_ref<const std::string&>());
  }
  // Not JSON: only printable ASCII of it, so a binary or hostile body cannot garble a log line.
  std::string printable;
  for (char c : body.substr(0, max_reason_bytes))
    printable += (c >= 0x20 && c < 0x7F) ? c : ' ';
  return clean_reason(printable);
}

}  // namespace crmd::integrations::llm
