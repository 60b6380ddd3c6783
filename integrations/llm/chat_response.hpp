#pragma once

#include "integrations/llm/classification.hpp"

#include <string>
#include <string_view>
#include <variant>

// The response half of reply classification: a chat completion whose
// choices[0].message.content is itself a JSON object {"classification":…,"reason":…}. Pure and
// never throwing: every shape is checked before it is read.
namespace crmd::integrations::llm {

// Why a 2xx completion did not carry a classification. `code` is stable (logs, tests):
//   invalid_json        the body is not JSON (or nests absurdly deep)
//   no_choices          no choices[0] object
//   refused             the model refused (message.refusal)
//   no_content          choices[0].message.content missing, null or not a string
//   truncated           finish_reason "length": the content was cut off
//   content_not_json    the content is not a JSON object
//   invalid_classification  "classification" missing or not one of the three values
//   invalid_reason      "reason" present but not a string
struct response_error {
  std::string code;
  std::string message;
};

using classify_result = std::variant<classification, response_error>;

classify_result parse_classify_response(std::string_view body);

// An error body's message for logs and failures: OpenAI's {"error":{"message","type","code"}},
// a bare {"error":"…"} or {"message":"…"}, else the start of the body. At most 200 bytes, one
// line.
std::string error_summary(std::string_view body);

}  // namespace crmd::integrations::llm
