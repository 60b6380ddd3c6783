#include "domain/campaign/message_template.hpp"

#include <gtest/gtest.h>

namespace crmd::domain::campaign {
namespace {

parsed_template parse_ok(std::string_view text) {
  auto result = parse_template(text);
  if (auto* error = std::get_if<template_error>(&result))
    ADD_FAILURE() << error->message;
  return std::get<parsed_template>(std::move(result));
}

template_error parse_error(std::string_view text) {
  auto result = parse_template(text);
  EXPECT_TRUE(std::holds_alternative<template_error>(result)) << text;
  return std::holds_alternative<template_error>(result) ? std::get<template_error>(result)
                                                         : template_error{};
}

merge_values values(std::string first_name, std::string city = {}) {
  merge_values v;
  v[static_cast<std::size_t>(merge_field::first_name)] = std::move(first_name);
  v[static_cast<std::size_t>(merge_field::city)] = std::move(city);
  return v;
}

TEST(MessageTemplate, RendersFieldsWithTheContactsValues) {
  auto t = parse_ok("Hi {first_name}, we fix foundation cracks in {city}.");
  EXPECT_EQ(render_template(t, values("Ada", "Worcester")),
            "Hi Ada, we fix foundation cracks in Worcester.");
}

TEST(MessageTemplate, FallbackReplacesAMissingOrBlankValue) {
  auto t = parse_ok("Hi {first_name|there}!");
  EXPECT_EQ(render_template(t, values("")), "Hi there!");
  EXPECT_EQ(render_template(t, values("   ")), "Hi there!");
  EXPECT_EQ(render_template(t, values(" Ada ")), "Hi Ada!");
  EXPECT_EQ(render_template(parse_ok("Hi {first_name}!"), values("")), "Hi !");
  // The fallback is verbatim, a '|' after the first one included.
  EXPECT_EQ(render_template(parse_ok("{ city | your town|area}"), values("")), " your town|area");
}

TEST(MessageTemplate, DoubledBracesAreLiteral) {
  auto t = parse_ok("{{first_name}} is {first_name}}}");
  ASSERT_EQ(t.parts.size(), 3u);
  EXPECT_EQ(render_template(t, values("Ada")), "{first_name} is Ada}");
}

TEST(MessageTemplate, AdjacentLiteralsAreMerged) {
  auto t = parse_ok("a {{ b }} c");
  ASSERT_EQ(t.parts.size(), 1u);
  EXPECT_EQ(std::get<template_literal>(t.parts[0]).text, "a { b } c");
}

TEST(MessageTemplate, UnknownFieldIsAnErrorNamingIt) {
  auto e = parse_error("Hi {frist_name|there}");
  EXPECT_EQ(e.code, template_error_code::unknown_field);
  EXPECT_EQ(e.field, "frist_name");
  EXPECT_EQ(e.offset, 3u);
  EXPECT_NE(e.message.find("frist_name"), std::string::npos);
  EXPECT_EQ(parse_error("{First_Name}").code, template_error_code::unknown_field);  // exact case
}

TEST(MessageTemplate, MalformedBracesAreErrorsWithTheirOffset) {
  auto e = parse_error("Hi {first_name");
  EXPECT_EQ(e.code, template_error_code::unterminated);
  EXPECT_EQ(e.offset, 3u);
  e = parse_error("Hi first_name}");
  EXPECT_EQ(e.code, template_error_code::unmatched_close);
  EXPECT_EQ(e.offset, 13u);
  e = parse_error("{first_{name}}");
  EXPECT_EQ(e.code, template_error_code::nested_brace);
  EXPECT_EQ(e.offset, 7u);
  EXPECT_EQ(parse_error("{}").code, template_error_code::empty_field);
  EXPECT_EQ(parse_error("{ |x}").code, template_error_code::empty_field);
}

TEST(MessageTemplate, EveryKnownFieldRoundTripsThroughItsName) {
  for (std::size_t i = 0; i < merge_field_count; ++i) {
    auto field = static_cast<merge_field>(i);
    EXPECT_EQ(parse_merge_field(to_string(field)), field);
  }
  EXPECT_FALSE(parse_merge_field("email").has_value());
}

TEST(MessageTemplate, OptOutLineIsAppendedOnlyWhenAsked) {
  auto t = parse_ok("Hi {first_name|there}");
  EXPECT_EQ(render_template(t, values("Ada"), {.opt_out_line = default_opt_out_line}),
            "Hi Ada\nReply STOP to opt out");
  EXPECT_EQ(render_template(t, values("Ada")), "Hi Ada");
}

}  // namespace
}  // namespace crmd::domain::campaign
