#include "domain/campaign/recipient_zone.hpp"

#include <gtest/gtest.h>

namespace crmd::domain::campaign {
namespace {

using zones = std::vector<std::string>;
constexpr std::string_view business = "America/New_York";

TEST(RecipientZone, ContactsOwnZoneWinsOverTheNumber) {
  auto r = resolve_recipient_zone("America/Chicago", "+18085550100", business);
  EXPECT_EQ(r.zones, zones{"America/Chicago"});
  EXPECT_EQ(r.source, zone_source::contact);
}

TEST(RecipientZone, InvalidStoredZoneFallsBackToTheNumber) {
  for (auto stored : {"", "Eastern", "America/New York", "Mars/Olympus_Mons"}) {
    auto r = resolve_recipient_zone(stored, "+15085550100", "America/Denver");
    EXPECT_EQ(r.zones, zones{"America/New_York"}) << stored;
    EXPECT_EQ(r.source, zone_source::phone_prefix) << stored;
  }
}

TEST(RecipientZone, AreaCodesMapToTheirZones) {
  EXPECT_EQ(zones_for_number("+15085550100"), zones{"America/New_York"});  // Massachusetts
  EXPECT_EQ(zones_for_number("+13125550100"), zones{"America/Chicago"});
  EXPECT_EQ(zones_for_number("+18085550100"), zones{"Pacific/Honolulu"});
  EXPECT_EQ(zones_for_number("+16235550100"), zones{"America/Phoenix"});  // Arizona
  EXPECT_EQ(zones_for_number("+17875550100"), zones{"America/Puerto_Rico"});
}

TEST(RecipientZone, PrefixSpanningZonesKeepsAllWesternmostFirst) {
  // 602 (Phoenix) is listed with Denver too (Navajo Nation keeps daylight saving time).
  EXPECT_EQ(zones_for_number("+16025550100"), (zones{"America/Phoenix", "America/Denver"}));
  auto r = resolve_recipient_zone("", "+16025550100", business);
  EXPECT_EQ(r.zones.front(), "America/Phoenix");
  EXPECT_EQ(r.source, zone_source::phone_prefix);
}

TEST(RecipientZone, LongestPrefixWins) {
  // Idaho: 1208201 is Mountain time, the rest of 12082… spans Pacific and Mountain.
  EXPECT_EQ(zones_for_number("+12082010100"), zones{"America/Denver"});
  EXPECT_EQ(zones_for_number("+12082950100"), (zones{"America/Los_Angeles", "America/Boise"}));
  EXPECT_EQ(zones_for_number("+12082150100"), zones{"America/Los_Angeles"});
}

TEST(RecipientZone, UnknownOrUselessPrefixFallsBackToTheBusinessZone) {
  // 999 is no area code, and "+1" alone spans the Atlantic to Hawaii: it says nothing.
  for (auto phone : {"+19995550100", "+18005550100", "", "5085550100", "+1508555O100", "+"}) {
    auto r = resolve_recipient_zone("", phone, business);
    EXPECT_EQ(r.zones, zones{"America/New_York"}) << phone;
    EXPECT_EQ(r.source, zone_source::business_default) << phone;
    EXPECT_TRUE(zones_for_number(phone).empty()) << phone;
  }
}

TEST(RecipientZone, OtherCountriesResolveWhenTheirZonesAgree) {
  EXPECT_EQ(zones_for_number("+442071234567").back(), "Europe/London");
  EXPECT_TRUE(zones_for_number("+73001234567").empty());  // only "7": Russia spans 10 hours
}

}  // namespace
}  // namespace crmd::domain::campaign
