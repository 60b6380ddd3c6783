#include "domain/campaign/address_zone.hpp"
#include "domain/time_zone.hpp"

#include <gtest/gtest.h>

namespace crmd::domain::campaign {
namespace {

using zones = std::vector<std::string>;

TEST(AddressZone, CodesAndNamesInAnyCase) {
  EXPECT_EQ(zones_for_us_state("MA"), zones{"America/New_York"});
  EXPECT_EQ(zones_for_us_state(" ma "), zones{"America/New_York"});
  EXPECT_EQ(zones_for_us_state("Massachusetts"), zones{"America/New_York"});
  EXPECT_EQ(zones_for_us_state("CALIFORNIA"), zones{"America/Los_Angeles"});
  EXPECT_EQ(zones_for_us_state("az"), zones{"America/Phoenix"});
}

TEST(AddressZone, SplitStatesListEveryZoneWesternmostFirst) {
  EXPECT_EQ(zones_for_us_state("TX"), (zones{"America/Denver", "America/Chicago"}));
  EXPECT_EQ(zones_for_us_state("FL"), (zones{"America/Chicago", "America/New_York"}));
  EXPECT_EQ(zones_for_us_state("tennessee"), (zones{"America/Chicago", "America/New_York"}));
}

TEST(AddressZone, UnknownOrEmptyIsNoZone) {
  EXPECT_TRUE(zones_for_us_state("").empty());
  EXPECT_TRUE(zones_for_us_state("  ").empty());
  EXPECT_TRUE(zones_for_us_state("XX").empty());
  EXPECT_TRUE(zones_for_us_state("Ontario").empty());
  EXPECT_TRUE(zones_for_us_state("M").empty());
}

TEST(AddressZone, EveryZoneIsKnownToTheTzDatabase) {
  for (const char* state : {"AK", "AL", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA",
                            "GU", "HI", "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME",
                            "MI", "MN", "MO", "MP", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM",
                            "NV", "NY", "OH", "OK", "OR", "PA", "PR", "RI", "SC", "SD", "TN", "TX",
                            "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY"}) {
    auto found = zones_for_us_state(state);
    ASSERT_FALSE(found.empty()) << state;
    for (const auto& zone : found)
      EXPECT_TRUE(is_known_time_zone(zone)) << state << " " << zone;
  }
}

}  // namespace
}  // namespace crmd::domain::campaign
