#include "domain/business_hours.hpp"

#include <gtest/gtest.h>

namespace crmd::domain {
namespace {

using std::chrono::minutes;

TEST(BusinessHours, ADayRangeAndASpanOfLocalTime) {
  auto hours = parse_business_hours("Mon-Fri 08:00-18:00");
  ASSERT_TRUE(hours);
  EXPECT_EQ(hours->days, 0b0111110);
  EXPECT_EQ(hours->open, minutes{480});
  EXPECT_EQ(hours->close, minutes{1080});
  EXPECT_TRUE(hours->open_on(1));
  EXPECT_FALSE(hours->open_on(0));
  EXPECT_FALSE(hours->open_on(6));
}

TEST(BusinessHours, ListsRangesAnyCaseAndTheWholeDay) {
  auto hours = parse_business_hours("mon,WED,Fri-Sat 07:30-24:00");
  ASSERT_TRUE(hours);
  EXPECT_EQ(hours->days, 0b1101010);
  EXPECT_EQ(hours->open, minutes{450});
  EXPECT_EQ(hours->close, minutes{1440});
  EXPECT_EQ(parse_business_hours("Sun-Sat 00:00-24:00")->days, 0b1111111);
}

TEST(BusinessHours, RefusesAnythingElse) {
  for (const char* text :
       {"", "Mon-Fri", "08:00-18:00", "Fri-Mon 08:00-18:00", "Mon-Fri 18:00-08:00",
        "Mon-Fri 08:00-08:00", "Mon-Fri 8:00-18:00", "Mon-Fri 08:00-24:30", "Mon-Fri 08:60-18:00",
        "Monday 08:00-18:00", "Mon, 08:00-18:00", "Mon,,Tue 08:00-18:00", "Mon-Fri 08:00 18:00"})
    EXPECT_FALSE(parse_business_hours(text)) << text;
}

}  // namespace
}  // namespace crmd::domain
