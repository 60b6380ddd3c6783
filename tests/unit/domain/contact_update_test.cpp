#include "domain/contact_update.hpp"

#include <gtest/gtest.h>

using crmd::domain::contact_update_error;
using crmd::domain::validate_contact_update;
using nlohmann::json;

namespace {

json accepted(std::string_view body) {
  auto result = validate_contact_update(body);
  EXPECT_TRUE(std::holds_alternative<json>(result)) << body;
  return std::holds_alternative<json>(result) ? std::get<json>(result) : json();
}

contact_update_error refused(std::string_view body) {
  auto result = validate_contact_update(body);
  EXPECT_TRUE(std::holds_alternative<contact_update_error>(result)) << body;
  return std::holds_alternative<contact_update_error>(result)
           ? std::get<contact_update_error>(result)
           : contact_update_error{};
}

}  // namespace

TEST(ContactUpdate, TrimsTextAndTurnsEmptyIntoClear) {
  auto fields = accepted(R"({"first_name":"  Maria ","company":"","city":null})");
  EXPECT_EQ(fields["first_name"], "Maria");
  EXPECT_TRUE(fields["company"].is_null());
  EXPECT_TRUE(fields["city"].is_null());
  EXPECT_FALSE(fields.contains("last_name"));
}

TEST(ContactUpdate, TagsAreTrimmedAndDeduplicatedInOrder) {
  auto fields = accepted(R"({"tags":[" vip ","lead","vip"]})");
  EXPECT_EQ(fields["tags"], json({"vip", "lead"}));
  EXPECT_EQ(accepted(R"({"tags":null})")["tags"], json::array());
}

TEST(ContactUpdate, RefusesWhatIsNotAnEditableField) {
  EXPECT_EQ(refused(R"({"phone":"+15085550100"})").code, "invalid_field");
  EXPECT_NE(refused(R"({"phone":"+15085550100"})").message.find("phone"), std::string::npos);
  EXPECT_EQ(refused(R"({"id":3})").code, "invalid_field");
}

TEST(ContactUpdate, RefusesMalformedBodies) {
  EXPECT_EQ(refused("not json").code, "invalid_body");
  EXPECT_EQ(refused("[1]").code, "invalid_body");
  EXPECT_EQ(refused("{}").code, "invalid_body");
}

TEST(ContactUpdate, ChecksEachFieldsType) {
  EXPECT_EQ(refused(R"({"first_name":7})").code, "invalid_field");
  EXPECT_EQ(refused(R"({"tags":"vip"})").code, "invalid_field");
  EXPECT_EQ(refused(R"({"tags":[1]})").code, "invalid_field");
  EXPECT_EQ(refused(R"({"tags":[""]})").code, "invalid_field");
  EXPECT_EQ(refused(R"({"postal_code":"123456789012345678901"})").code, "invalid_field");
}

TEST(ContactUpdate, EmailNeedsOneAtWithTextAround) {
  EXPECT_EQ(accepted(R"({"email":"pat@example.com"})")["email"], "pat@example.com");
  EXPECT_EQ(refused(R"({"email":"pat"})").code, "invalid_field");
  EXPECT_EQ(refused(R"({"email":"@example.com"})").code, "invalid_field");
  EXPECT_EQ(refused(R"({"email":"a@b@c"})").code, "invalid_field");
}

TEST(ContactUpdate, TimeZoneMustBeKnownToTheTzDatabase) {
  EXPECT_EQ(accepted(R"({"time_zone":"America/New_York"})")["time_zone"], "America/New_York");
  EXPECT_EQ(refused(R"({"time_zone":"Mars/Olympus"})").code, "invalid_field");
  EXPECT_EQ(refused(R"({"time_zone":"../../etc/passwd"})").code, "invalid_field");
  EXPECT_EQ(refused(R"({"time_zone":"America/New York"})").code, "invalid_field");
}
