#include "integrations/llm/chat_response.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace crmd::integrations::llm;
using nlohmann::json;

namespace {

// A completion as OpenAI sends it, with `content` as the assistant's text.
std::string completion(const json& content, std::string finish = "stop") {
  json body{{"id", "chatcmpl-1"},
            {"object", "chat.completion"},
            {"model", "gpt-4o-mini"},
            {"choices",
             {{{"index", 0},
               {"message", {{"role", "assistant"}, {"content", content}, {"refusal", nullptr}}},
               {"finish_reason", finish}}}},
            {"usage", {{"prompt_tokens", 90}, {"completion_tokens", 12}}}};
  return body.dump();
}

classification ok(const classify_result& result) {
  if (const auto* error = std::get_if<response_error>(&result)) {
    ADD_FAILURE() << error->code << ": " << error->message;
    return {};
  }
  return std::get<classification>(result);
}

std::string error_code(const classify_result& result) {
  if (std::holds_alternative<classification>(result))
    return "classified";
  const auto& error = std::get<response_error>(result);
  EXPECT_FALSE(error.message.empty());
  return error.code;
}

}  // namespace

TEST(LlmChatResponse, ReadsEachVerdictAndItsReason) {
  for (auto [label, expected] : {std::pair{"positive", verdict::positive},
                                 std::pair{"negative", verdict::negative},
                                 std::pair{"neutral", verdict::neutral}}) {
    auto got = ok(parse_classify_response(
      completion(json({{"classification", label}, {"reason", "asked for a quote"}}).dump())));
    EXPECT_EQ(got.what, expected);
    EXPECT_EQ(got.reason, "asked for a quote");
  }
}

TEST(LlmChatResponse, ToleratesCaseFencesAndAMissingReason) {
  auto upper = ok(parse_classify_response(completion(R"({"classification":" Positive "})")));
  EXPECT_EQ(upper.what, verdict::positive);
  EXPECT_EQ(upper.reason, "");
  auto fenced = ok(parse_classify_response(
    completion("```json\n{\"classification\":\"negative\",\"reason\":\"no\"}\n```")));
  EXPECT_EQ(fenced.what, verdict::negative);
  auto null_reason =
    ok(parse_classify_response(completion(R"({"classification":"neutral","reason":null})")));
  EXPECT_EQ(null_reason.what, verdict::neutral);
}

TEST(LlmChatResponse, ReasonIsOneLineOfAtMost200Bytes) {
  auto got = ok(parse_classify_response(completion(
    json({{"classification", "neutral"}, {"reason", "  line one\n\tline   two\r\n"}}).dump())));
  EXPECT_EQ(got.reason, "line one line two");
  auto long_reason = ok(parse_classify_response(completion(
    json({{"classification", "neutral"}, {"reason", std::string(500, 'x')}}).dump())));
  EXPECT_EQ(long_reason.reason.size(), max_reason_bytes);
}

TEST(LlmChatResponse, TruncationNeverSplitsAUtf8Character) {
  // 199 ASCII bytes, then "é" (2 bytes) straddling the limit: it is dropped whole.
  std::string reason = std::string(199, 'a') + "\xC3\xA9" + "tail";
  auto got = ok(parse_classify_response(
    completion(json({{"classification", "positive"}, {"reason", reason}}).dump())));
  EXPECT_EQ(got.reason, std::string(199, 'a'));
  EXPECT_EQ(clean_reason(std::string(198, 'a') + "\xC3\xA9" + "tail"),
            std::string(198, 'a') + "\xC3\xA9");
}

TEST(LlmChatResponse, MalformedEnvelopesAreErrorValues) {
  EXPECT_EQ(error_code(parse_classify_response("")), "invalid_json");
  EXPECT_EQ(error_code(parse_classify_response("<html>502</html>")), "invalid_json");
  EXPECT_EQ(error_code(parse_classify_response("[1,2]")), "invalid_json");
  EXPECT_EQ(error_code(parse_classify_response(std::string(10000, '['))), "invalid_json");
  EXPECT_EQ(error_code(parse_classify_response(R"({"choices":[]})")), "no_choices");
  EXPECT_EQ(error_code(parse_classify_response(R"({"choices":"x"})")), "no_choices");
  EXPECT_EQ(error_code(parse_classify_response(R"({"choices":[7]})")), "no_choices");
  EXPECT_EQ(error_code(parse_classify_response(R"({"choices":[{}]})")), "no_content");
  EXPECT_EQ(error_code(parse_classify_response(R"({"choices":[{"message":{"content":null}}]})")),
            "no_content");
  EXPECT_EQ(error_code(parse_classify_response(R"({"choices":[{"message":{"content":3}}]})")),
            "no_content");
  EXPECT_EQ(error_code(parse_classify_response(
              R"({"choices":[{"message":{"content":null,"refusal":"I can't help"}}]})")),
            "refused");
  EXPECT_EQ(error_code(parse_classify_response(
              completion(R"({"classification":"posi)", "length"))),
            "truncated");
}

TEST(LlmChatResponse, MalformedContentIsAnErrorValue) {
  auto code = [](const std::string& content) {
    return error_code(parse_classify_response(completion(content)));
  };
  EXPECT_EQ(code("Positive! They want a call."), "content_not_json");
  EXPECT_EQ(code("\"positive\""), "content_not_json");
  EXPECT_EQ(code(""), "content_not_json");
  EXPECT_EQ(code("```\n```"), "content_not_json");
  EXPECT_EQ(code(R"({"reason":"x"})"), "invalid_classification");
  EXPECT_EQ(code(R"({"classification":"maybe","reason":"x"})"), "invalid_classification");
  EXPECT_EQ(code(R"({"classification":1})"), "invalid_classification");
  EXPECT_EQ(code(R"({"classification":"positive","reason":["a"]})"), "invalid_reason");
}

TEST(LlmChatResponse, ErrorSummaryReadsProviderErrorBodies) {
  EXPECT_EQ(error_summary(R"({"error":{"message":"Incorrect API key provided",)"
                          R"("type":"invalid_request_error","code":"invalid_api_key"}})"),
            "invalid_request_error: invalid_api_key: Incorrect API key provided");
  EXPECT_EQ(error_summary(R"({"error":"overloaded"})"), "overloaded");
  EXPECT_EQ(error_summary(R"({"message":"Bad gateway"})"), "Bad gateway");
  EXPECT_EQ(error_summary("upstream\x01 died\n"), "upstream died");
  EXPECT_EQ(error_summary(std::string(1000, 'z')).size(), max_reason_bytes);
}

TEST(LlmVerdict, WireNamesRoundTrip) {
  for (auto v : {verdict::positive, verdict::negative, verdict::neutral})
    EXPECT_EQ(parse_verdict(to_string(v)), v);
  EXPECT_FALSE(parse_verdict("").has_value());
  EXPECT_FALSE(parse_verdict("positively").has_value());
  EXPECT_FALSE(parse_verdict("neutral neutral").has_value());
}
