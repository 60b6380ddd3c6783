// libFuzzer target for the LLM client's reading of chat completions and provider error bodies.
//
// Input: a raw response body as an OpenAI-compatible API (or anything in its place) could send.
// Properties:
//   - parse_classify_response and error_summary never crash and never throw (an escaping
//     exception aborts);
//   - an error carries one of the stable codes and a non-empty message;
//   - a classification's verdict round-trips through to_string/parse_verdict, and its reason
//     (like every error summary) is one line of at most 200 bytes of valid UTF-8 without control
//     characters, blank-trimmed;
//   - the same input, placed as the model's content of a well-formed completion, is read the
//     same way the content reader alone would read it: wrapping it adds no failure but the
//     content's own;
//   - round trip: a completion whose content is {"classification":v,"reason":input} classifies
//     as v, and a short printable ASCII input comes back as the reason unchanged.
#include "integrations/llm/chat_response.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

namespace {

namespace llm = crmd::integrations::llm;
using json = nlohmann::json;

void check(bool holds, const char* property) {
  if (holds)
    return;
  std::fprintf(stderr, "property violated: %s\n", property);
  std::abort();
}

// Valid as nlohmann (and so every JSON string crmd writes) defines it: strict UTF-8, no overlong
// forms, no surrogates.
bool valid_utf8(std::string_view text) {
  try {
    (void)json(std::string(text)).dump();
    return true;
  } catch (const json::type_error&) {
    return false;
  }
}

void check_line(std::string_view text, const char* property) {
  check(text.size() <= llm::max_reason_bytes, property);
  check(valid_utf8(text), property);
  check(std::none_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }),
        property);
  check(text.empty() || (text.front() != ' ' && text.back() != ' '), property);
}

constexpr std::array<std::string_view, 8> codes{
  "invalid_json", "no_choices",       "refused",                "no_content",
  "truncated",    "content_not_json", "invalid_classification", "invalid_reason"};

void check_result(const llm::classify_result& result) {
  if (const auto* got = std::get_if<llm::classification>(&result)) {
    check(llm::parse_verdict(llm::to_string(got->what)) == got->what, "verdict round-trips");
    check_line(got->reason, "a reason is one clean line of at most 200 bytes");
    return;
  }
  const auto& error = std::get<llm::response_error>(result);
  check(std::find(codes.begin(), codes.end(), error.code) != codes.end(), "stable error code");
  check(!error.message.empty(), "an error has a message");
}

std::string completion(const json& content) {
  json body{{"choices", json::array({{{"message", {{"role", "assistant"}, {"content", content}}},
                                      {"finish_reason", "stop"}}})}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check_result(llm::parse_classify_response(input));
  check_line(llm::error_summary(input), "an error summary is one clean line");

  // The input as the model's content. Invalid UTF-8 cannot travel in a JSON string, so only
  // valid inputs are wrapped as they are.
  if (valid_utf8(input)) {
    auto wrapped = llm::parse_classify_response(completion(std::string(input)));
    check_result(wrapped);
    if (const auto* error = std::get_if<llm::response_error>(&wrapped))
      check(error->code == "content_not_json" || error->code == "invalid_classification"
              || error->code == "invalid_reason",
            "a well-formed completion fails only for its content");

    auto verdict = static_cast<llm::verdict>(size % 3);
    auto round = llm::parse_classify_response(completion(
      json({{"classification", llm::to_string(verdict)}, {"reason", std::string(input)}})
        .dump()));
    const auto* got = std::get_if<llm::classification>(&round);
    check(got != nullptr && got->what == verdict, "a valid classification is read back");
    bool plain = size <= llm::max_reason_bytes && size > 0 && input.front() != ' '
                 && input.back() != ' ' && input.find("  ") == std::string_view::npos
                 && std::all_of(input.begin(), input.end(),
                                [](char c) { return c >= 0x20 && c < 0x7F; });
    if (plain)
      check(got->reason == input, "a short printable reason comes back unchanged");
  }
  return 0;
}
