#include "integrations/openphone/rest_contacts.hpp"

#include "openphone_rest_objects.hpp"

#include <gtest/gtest.h>

namespace crmd::integrations::openphone {
namespace {

using namespace rest_objects;

TEST(OpenPhoneRestContact, MapsDefaultFieldsKeepingOnlyE164Numbers) {
  auto result = map_contact(contact());
  ASSERT_TRUE(result.ok()) << result.error;
  const auto& change = *result.value;
  EXPECT_EQ(change.openphone_id, "664d0db69fcac7cf2e6ec9a3");
  EXPECT_EQ(change.first_name, "Jane");
  EXPECT_EQ(change.last_name, "Doe");
  EXPECT_EQ(change.company, "Doe Homes");
  EXPECT_EQ(change.phone_numbers, strings{customer});
  EXPECT_EQ(change.emails, strings{"jane@example.com"});
  EXPECT_EQ(change.updated_at, "2025-05-01T09:00:00.000Z");
}

TEST(OpenPhoneRestContact, DuplicatesAndBlankValuesAreDropped) {
  auto item = contact();
  item["defaultFields"]["phoneNumbers"] =
    json::array({{{"value", " " + customer + " "}}, {{"value", customer}}, {{"value", nullptr}}});
  item["defaultFields"]["emails"] = json::array({{{"value", "not an email"}}});
  auto result = map_contact(item);
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.value->phone_numbers, strings{customer});
  EXPECT_TRUE(result.value->emails.empty());
}

TEST(OpenPhoneRestContact, ContactWithoutDefaultFieldsStillMaps) {
  json item{{"id", "c1"}, {"updatedAt", "2025-05-01T09:00:00Z"}};
  auto result = map_contact(item);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.value->first_name);
  EXPECT_TRUE(result.value->phone_numbers.empty());
}

TEST(OpenPhoneRestContact, RefusesMalformedContacts) {
  auto item = contact();
  item.erase("id");
  EXPECT_EQ(map_contact(item).error, "contact.id is required");
  item = contact();
  item["defaultFields"]["phoneNumbers"] = json::array({customer});
  EXPECT_EQ(map_contact(item).error, "contact.defaultFields.phoneNumbers must hold only objects");
  item = contact();
  item["defaultFields"]["firstName"] = 1;
  EXPECT_EQ(map_contact(item).error, "contact.defaultFields.firstName must be a string");
  item = contact();
  item["defaultFields"] = "Jane";
  EXPECT_EQ(map_contact(item).error, "contact.defaultFields must be an object");
}

TEST(OpenPhoneRestContact, PageReportsBadContacts) {
  auto page = map_contact_page(list(json::array({contact(), json{{"id", 5}}}), "p2").dump());
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page.items.size(), 1u);
  ASSERT_EQ(page.item_errors.size(), 1u);
  EXPECT_EQ(page.item_errors[0].message, "contact.id must be a string");
  EXPECT_EQ(page.next_page_token, "p2");
}

}  // namespace
}  // namespace crmd::integrations::openphone
