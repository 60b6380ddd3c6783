#include "domain/reconcile_schedule.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace crmd::domain {
namespace {

using std::chrono::minutes;

// "YYYY-MM-DDTHH:MM:SSZ", read by hand: date::parse trips GCC 12's -Wmaybe-uninitialized at -O3.
std::chrono::sys_seconds utc(const std::string& text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  EXPECT_EQ(std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%dZ", &year, &month, &day, &hour, &minute,
                        &second),
            6)
    << text;
  return date::sys_days{date::year{year} / month / day} + std::chrono::hours{hour}
         + std::chrono::minutes{minute} + std::chrono::seconds{second};
}

std::string text(std::chrono::sys_seconds at) {
  return date::format("%Y-%m-%dT%H:%M:%SZ", at);
}

const date::time_zone* new_york() {
  return date::locate_zone("America/New_York");
}

TEST(ReconcileSchedule, LaterTodayWhenTheTimeHasNotCome) {
  // 2026-01-15 01:00 EST = 06:00Z; 02:30 EST = 07:30Z.
  EXPECT_EQ(text(next_reconcile_at(utc("2026-01-15T06:00:00Z"), minutes{150}, new_york())),
            "2026-01-15T07:30:00Z");
}

TEST(ReconcileSchedule, TomorrowOnceTheTimeHasPassedOrIsNow) {
  EXPECT_EQ(text(next_reconcile_at(utc("2026-01-15T07:30:00Z"), minutes{150}, new_york())),
            "2026-01-16T07:30:00Z");
  EXPECT_EQ(text(next_reconcile_at(utc("2026-01-15T20:00:00Z"), minutes{150}, new_york())),
            "2026-01-16T07:30:00Z");
}

TEST(ReconcileSchedule, LocalEveningIsTheNextUtcDay) {
  // 23:00 EST on the 15th is 04:00Z on the 16th; 23:30 local is the same evening.
  EXPECT_EQ(text(next_reconcile_at(utc("2026-01-16T04:00:00Z"), minutes{23 * 60 + 30},
                                   new_york())),
            "2026-01-16T04:30:00Z");
}

TEST(ReconcileSchedule, SpringForwardRunsAtTheJumpWhenTheTimeDoesNotExist) {
  // 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00Z); 02:30 does not exist that day.
  EXPECT_EQ(text(next_reconcile_at(utc("2026-03-08T05:00:00Z"), minutes{150}, new_york())),
            "2026-03-08T07:00:00Z");
  // The next day 02:30 EDT is 06:30Z: the gap between runs is 23.5 hours.
  EXPECT_EQ(text(next_reconcile_at(utc("2026-03-08T07:00:00Z"), minutes{150}, new_york())),
            "2026-03-09T06:30:00Z");
}

TEST(ReconcileSchedule, SpringForwardDayIsTwentyThreeHoursLong) {
  // 04:00 local on both days: 09:00Z (EST) then 08:00Z (EDT).
  EXPECT_EQ(text(next_reconcile_at(utc("2026-03-07T09:00:00Z"), minutes{240}, new_york())),
            "2026-03-08T08:00:00Z");
}

TEST(ReconcileSchedule, FallBackRunsOnceAtTheFirstOfTwoOccurrences) {
  // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens at 05:30Z and at 06:30Z.
  EXPECT_EQ(text(next_reconcile_at(utc("2026-11-01T04:00:00Z"), minutes{90}, new_york())),
            "2026-11-01T05:30:00Z");
  // Between the two occurrences the next run is tomorrow's, not the repeat.
  EXPECT_EQ(text(next_reconcile_at(utc("2026-11-01T05:30:00Z"), minutes{90}, new_york())),
            "2026-11-02T06:30:00Z");
  // 02:30 exists once that day, in EST.
  EXPECT_EQ(text(next_reconcile_at(utc("2026-11-01T05:00:00Z"), minutes{150}, new_york())),
            "2026-11-01T07:30:00Z");
}

TEST(ReconcileSchedule, MidnightAndOtherZones) {
  EXPECT_EQ(text(next_reconcile_at(utc("2026-06-30T23:59:59Z"), minutes{0},
                                   date::locate_zone("UTC"))),
            "2026-07-01T00:00:00Z");
  // Europe/Berlin falls back on 2026-10-25: 02:30 is ambiguous, the first is 00:30Z.
  EXPECT_EQ(text(next_reconcile_at(utc("2026-10-24T23:00:00Z"), minutes{150},
                                   date::locate_zone("Europe/Berlin"))),
            "2026-10-25T00:30:00Z");
}

}  // namespace
}  // namespace crmd::domain
