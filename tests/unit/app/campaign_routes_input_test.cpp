#include "app/campaign_routes_input.hpp"

#include <gtest/gtest.h>

namespace crmd::app {
namespace {

using nlohmann::json;

json accepted(const std::string& body, campaign_input_mode mode = campaign_input_mode::create) {
  auto result = validate_campaign_input(body, mode);
  if (auto* error = std::get_if<campaign_input_error>(&result)) {
    ADD_FAILURE() << error->code << " " << error->field << ": " << error->message;
    return {};
  }
  return std::get<json>(result);
}

campaign_input_error rejected(const std::string& body,
                              campaign_input_mode mode = campaign_input_mode::create) {
  auto result = validate_campaign_input(body, mode);
  if (auto* error = std::get_if<campaign_input_error>(&result))
    return *error;
  ADD_FAILURE() << "accepted " << body;
  return {};
}

TEST(CampaignInput, CreateNeedsANameAndTemplateA) {
  auto fields = accepted(R"({"name":"  Spring  ","template_a":"Hi {first_name|there}",
    "template_b":"","quiet_hours_start":"20:30","audience":{"tags":["roof"]},
    "scheduled_at":"2026-04-01T09:00:00-04:00","ab_split_percent":70})");
  EXPECT_EQ(fields["name"], "Spring");
  EXPECT_TRUE(fields["template_b"].is_null());  // empty clears
  EXPECT_EQ(fields["scheduled_at"], "2026-04-01T13:00:00.000Z");
  EXPECT_EQ(fields["audience"], json({{"tags", {"roof"}}}));
  EXPECT_EQ(rejected(R"({"template_a":"Hi"})").field, "name");
  EXPECT_EQ(rejected(R"({"name":"x"})").field, "template_a");
  // An update may carry any subset, but not clear a required field.
  EXPECT_EQ(accepted(R"({"daily_cap":200})", campaign_input_mode::update),
            json({{"daily_cap", 200}}));
  EXPECT_EQ(rejected(R"({"name":null})", campaign_input_mode::update).field, "name");
}

TEST(CampaignInput, UnknownMergeFieldIs422WithItsOffset) {
  auto error = rejected(R"({"name":"x","template_a":"Hi {frist_name}"})");
  EXPECT_EQ(error.status, 422u);
  EXPECT_EQ(error.code, "invalid_template");
  EXPECT_EQ(error.field, "template_a");
  ASSERT_TRUE(error.offset);
  EXPECT_EQ(*error.offset, 3u);
  auto b = rejected(R"({"template_b":"oops }"})", campaign_input_mode::update);
  EXPECT_EQ(b.field, "template_b");
  EXPECT_EQ(b.status, 422u);
  auto response = input_error_response(error);
  EXPECT_EQ(response.status, 422u);
  auto body = json::parse(response.body);
  EXPECT_EQ(body["error"]["code"], "invalid_template");
  EXPECT_EQ(body["error"]["field"], "template_a");
  EXPECT_EQ(body["error"]["offset"], 3);
}

TEST(CampaignInput, FieldErrorsNameTheField) {
  EXPECT_EQ(rejected("[1]").code, "invalid_json");
  EXPECT_EQ(rejected("{").code, "invalid_json");
  auto cases = std::vector<std::pair<std::string, std::string>>{
    {R"({"status":"running"})", "status"},
    {R"({"ab_split_percent":101})", "ab_split_percent"},
    {R"({"ab_split_percent":"50"})", "ab_split_percent"},
    {R"({"throttle_per_minute":0})", "throttle_per_minute"},
    {R"({"daily_cap":1.5})", "daily_cap"},
    {R"({"quiet_hours_end":"24:00"})", "quiet_hours_end"},
    {R"({"quiet_hours_start":"9:00"})", "quiet_hours_start"},
    {R"({"reply_window_hours":0})", "reply_window_hours"},
    {R"({"on_existing_contact":"skip"})", "on_existing_contact"},
    {R"({"audience":{"sources":["x"]}})", "audience.sources"},
    {R"({"scheduled_at":"tomorrow"})", "scheduled_at"},
    {R"({"name":")" + std::string(201, 'n') + R"("})", "name"},
  };
  for (const auto& [body, field] : cases) {
    auto error = rejected(body, campaign_input_mode::update);
    EXPECT_EQ(error.status, 400u) << body;
    EXPECT_EQ(error.code, "invalid_field") << body;
    EXPECT_EQ(error.field, field) << body;
  }
}

TEST(CampaignInput, LaunchBodyIsEmptyOrAScheduledTime) {
  auto now = validate_launch_input("");
  ASSERT_TRUE(std::holds_alternative<std::optional<std::string>>(now));
  EXPECT_FALSE(std::get<std::optional<std::string>>(now));
  auto later = validate_launch_input(R"({"scheduled_at":"2026-05-01T12:00:00Z"})");
  ASSERT_TRUE(std::holds_alternative<std::optional<std::string>>(later));
  EXPECT_EQ(std::get<std::optional<std::string>>(later), "2026-05-01T12:00:00.000Z");
  EXPECT_TRUE(std::holds_alternative<campaign_input_error>(
    validate_launch_input(R"({"scheduled_at":"soon"})")));
  EXPECT_TRUE(std::holds_alternative<campaign_input_error>(validate_launch_input(R"({"x":1})")));
}

}  // namespace
}  // namespace crmd::app
