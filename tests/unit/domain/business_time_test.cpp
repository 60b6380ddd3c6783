#include "domain/business_time.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

using namespace std::chrono_literals;
using namespace date::literals;
using crmd::domain::business_hours;
using crmd::domain::business_time_between;
using crmd::domain::parse_business_hours;

namespace {

const date::time_zone& new_york() {
  return *date::locate_zone("America/New_York");
}

// An instant given as New York wall-clock time (unambiguous ones only).
std::chrono::system_clock::time_point at(date::year_month_day day, std::chrono::minutes time) {
  return new_york().to_sys(date::local_days{day} + time);
}

business_hours hours(const char* text) {
  return parse_business_hours(text).value();
}

const business_hours weekdays = hours("Mon-Fri 08:00-18:00");
const business_hours always = hours("Sun-Sat 00:00-24:00");

std::chrono::seconds between(std::chrono::system_clock::time_point from,
                             std::chrono::system_clock::time_point to,
                             const business_hours& open = weekdays) {
  return business_time_between(from, to, open, new_york());
}

}  // namespace

// 2026-11-23 is a Monday.
TEST(BusinessTime, CountsOnlyTheOpenPartOfADay) {
  EXPECT_EQ(between(at(2026_y / 11 / 23, 9h), at(2026_y / 11 / 23, 10h + 30min)), 90min);
  EXPECT_EQ(between(at(2026_y / 11 / 23, 6h), at(2026_y / 11 / 23, 9h)), 1h);
  EXPECT_EQ(between(at(2026_y / 11 / 23, 17h), at(2026_y / 11 / 23, 23h)), 1h);
  EXPECT_EQ(between(at(2026_y / 11 / 23, 19h), at(2026_y / 11 / 23, 23h)), 0s);
}

TEST(BusinessTime, SpansAcrossMidnightAddBothDays) {
  EXPECT_EQ(between(at(2026_y / 11 / 23, 17h), at(2026_y / 11 / 24, 9h)), 2h);
  EXPECT_EQ(between(at(2026_y / 11 / 23, 23h), at(2026_y / 11 / 24, 1h)), 0s);
  EXPECT_EQ(between(at(2026_y / 11 / 23, 23h), at(2026_y / 11 / 24, 1h), always), 2h);
}

TEST(BusinessTime, WeekendsAndClosedDaysCountNothing) {
  // Friday 17:00 to Monday 09:00: one hour on each side of the weekend.
  EXPECT_EQ(between(at(2026_y / 11 / 27, 17h), at(2026_y / 11 / 30, 9h)), 2h);
  EXPECT_EQ(between(at(2026_y / 11 / 28, 8h), at(2026_y / 11 / 29, 20h)), 0s);
  // A whole week: five ten-hour days.
  EXPECT_EQ(between(at(2026_y / 11 / 23, 0h), at(2026_y / 11 / 30, 0h)), 50h);
  auto mwf = hours("Mon,Wed,Fri 09:00-17:00");
  EXPECT_EQ(between(at(2026_y / 11 / 23, 0h), at(2026_y / 11 / 30, 0h), mwf), 24h);
}

TEST(BusinessTime, NothingWhenTheSpanIsEmptyOrBackwards) {
  EXPECT_EQ(between(at(2026_y / 11 / 23, 10h), at(2026_y / 11 / 23, 10h)), 0s);
  EXPECT_EQ(between(at(2026_y / 11 / 23, 11h), at(2026_y / 11 / 23, 10h)), 0s);
}

// 2026-03-08 (Sunday): New York springs forward at 02:00 to 03:00.
TEST(BusinessTime, SpringForwardDayIsShorter) {
  EXPECT_EQ(between(at(2026_y / 3 / 8, 0h), at(2026_y / 3 / 9, 0h), always), 23h);
  EXPECT_EQ(between(at(2026_y / 3 / 7, 12h), at(2026_y / 3 / 9, 12h), always), 47h);
  // Office hours on the weekdays around it are whole and at their local times.
  EXPECT_EQ(between(at(2026_y / 3 / 6, 17h), at(2026_y / 3 / 9, 9h)), 2h);
  EXPECT_EQ(at(2026_y / 3 / 9, 8h), date::sys_days{2026_y / 3 / 9} + 12h);
  // An opening at 02:30, a time that does not exist that day, opens when the clocks change.
  auto early = hours("Sun 02:30-04:00");
  EXPECT_EQ(between(at(2026_y / 3 / 8, 0h), at(2026_y / 3 / 9, 0h), early), 1h);
}

// 2026-11-01 (Sunday): New York falls back at 02:00 to 01:00.
TEST(BusinessTime, FallBackDayIsLonger) {
  EXPECT_EQ(between(at(2026_y / 11 / 1, 0h), at(2026_y / 11 / 2, 0h), always), 25h);
  EXPECT_EQ(between(at(2026_y / 10 / 31, 12h), at(2026_y / 11 / 2, 12h), always), 49h);
  // 01:00-02:00 happens twice: open at the first 01:00, closed at the second 02:00.
  auto twice = hours("Sun 01:00-02:00");
  EXPECT_EQ(between(at(2026_y / 11 / 1, 0h), at(2026_y / 11 / 2, 0h), twice), 2h);
}

TEST(BusinessTime, FollowsTheZoneGiven) {
  auto chicago = date::locate_zone("America/Chicago");
  auto monday_9_ny = at(2026_y / 11 / 23, 9h);  // 08:00 in Chicago
  EXPECT_EQ(business_time_between(monday_9_ny, monday_9_ny + 2h, weekdays, *chicago), 2h);
  auto monday_8_ny = at(2026_y / 11 / 23, 8h);  // 07:00 in Chicago: not open yet
  EXPECT_EQ(business_time_between(monday_8_ny, monday_8_ny + 2h, weekdays, *chicago), 1h);
}
