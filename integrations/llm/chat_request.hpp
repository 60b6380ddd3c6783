#pragma once

#include <string>
#include <string_view>

// The request half of reply classification over an OpenAI-compatible chat-completions API
// (`POST /v1/chat/completions`). Pure.
namespace crmd::integrations::llm {

inline constexpr std::string_view chat_completions_target = "/v1/chat/completions";

struct classify_input {
  std::string_view model;          // CRM_LLM_MODEL, e.g. "gpt-4o-mini"
  std::string_view reply_body;     // what the customer texted back
  std::string_view campaign_text;  // the text of ours they answered
};

// The instructions: classify the reply, answer only
// {"classification":"positive"|"negative"|"neutral","reason":"<short>"}.
std::string_view classify_system_prompt();

// The user message's content: {"campaign_text":…,"reply":…} as JSON, so the customer's words
// arrive as data, quoted, and can never pass for our instructions.
std::string classify_user_content(const classify_input& input);

// The whole body: model, temperature 0, response_format json_object, the system prompt and the
// user content. Invalid UTF-8 in the inputs is replaced (U+FFFD), never thrown about.
std::string classify_request_body(const classify_input& input);

}  // namespace crmd::integrations::llm
