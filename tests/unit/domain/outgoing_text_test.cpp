#include "domain/outgoing_text.hpp"

#include <gtest/gtest.h>

#include <string>

using crmd::domain::outgoing_text_error;
using crmd::domain::validate_idempotency_key;
using crmd::domain::validate_outgoing_text;

TEST(OutgoingText, AcceptsTextUpTo1600CodePoints) {
  EXPECT_EQ(std::get<std::string>(validate_outgoing_text(R"({"body":"On our way"})")), "On our way");
  std::string emoji;
  for (int i = 0; i < 1600; ++i)
    emoji += "\xF0\x9F\x8F\xA0";  // one code point, four bytes
  auto accepted = validate_outgoing_text(R"({"body":")" + emoji + "\"}");
  EXPECT_TRUE(std::holds_alternative<std::string>(accepted));
  auto refused = validate_outgoing_text(R"({"body":")" + emoji + "x\"}");
  ASSERT_TRUE(std::holds_alternative<outgoing_text_error>(refused));
  EXPECT_EQ(std::get<outgoing_text_error>(refused).code, "invalid_body");
}

TEST(OutgoingText, RefusesBlankMissingOrMistypedBodies) {
  for (const char* body : {R"({"body":"  \n "})", R"({"text":"hi"})", R"({"body":3})", "hi", "[]"}) {
    auto result = validate_outgoing_text(body);
    ASSERT_TRUE(std::holds_alternative<outgoing_text_error>(result)) << body;
    EXPECT_EQ(std::get<outgoing_text_error>(result).code, "invalid_body");
  }
}

TEST(OutgoingText, IdempotencyKeyIsOptionalVisibleAsciiUpTo128) {
  EXPECT_FALSE(std::get<std::optional<std::string>>(validate_idempotency_key(std::nullopt)));
  EXPECT_EQ(*std::get<std::optional<std::string>>(validate_idempotency_key("a1-b2")), "a1-b2");
  EXPECT_TRUE(std::holds_alternative<outgoing_text_error>(validate_idempotency_key("")));
  EXPECT_TRUE(std::holds_alternative<outgoing_text_error>(validate_idempotency_key("a b")));
  EXPECT_TRUE(std::holds_alternative<outgoing_text_error>(
    validate_idempotency_key(std::string(129, 'k'))));
}
