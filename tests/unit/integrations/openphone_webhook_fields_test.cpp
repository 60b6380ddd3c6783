#include "integrations/openphone/webhook_fields.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace crmd::integrations::openphone {
namespace {

TEST(OpenPhoneWebhookFields, E164IsThePlusDigitsRule) {
  for (std::string_view yes : {"+15085550100", "+12", "+123456789012345"})
    EXPECT_TRUE(is_e164(yes)) << yes;
  for (std::string_view no : {"", "+", "+1", "15085550100", "+05085550100", "+1234567890123456",
                              "+1 508 555 0100", "+1508555010a", "(508) 555-0100", "anonymous"})
    EXPECT_FALSE(is_e164(no)) << no;
}

TEST(OpenPhoneWebhookFields, TimestampsNeedDateTimeAndZone) {
  for (std::string_view yes : {"2025-05-01T14:00:00Z", "2025-05-01T14:00:00.120Z",
                               "2025-05-01T14:00:00.123456+02:00", "2016-12-31T23:59:60Z"})
    EXPECT_TRUE(is_iso_timestamp(yes)) << yes;
  for (std::string_view no :
       {"", "2025-05-01", "2025-05-01 14:00:00Z", "2025-05-01T14:00:00", "2025-13-01T14:00:00Z",
        "2025-05-00T14:00:00Z", "2025-05-01T24:00:00Z", "2025-05-01T14:00:00.Z",
        "2025-05-01T14:00:00+0200", "2025-05-01T14:00:00Zjunk", "20250501T140000Z"})
    EXPECT_FALSE(is_iso_timestamp(no)) << no;
}

TEST(OpenPhoneWebhookFields, EmailLooksLikeLocalAtDottedDomain) {
  for (std::string_view yes : {"dana@example.com", "a.b+crm@mail.example.co.uk"})
    EXPECT_TRUE(looks_like_email(yes)) << yes;
  for (std::string_view no : {"", "dana", "@example.com", "dana@", "dana@example", "a@b@c.com",
                              "dana @example.com", "dana@example.", "12 Elm St"})
    EXPECT_FALSE(looks_like_email(no)) << no;
}

}  // namespace
}  // namespace crmd::integrations::openphone
