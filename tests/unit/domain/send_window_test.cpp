#include "domain/campaign/send_window.hpp"

#include <gtest/gtest.h>

namespace crmd::domain::campaign {
namespace {

using namespace std::chrono_literals;
using time_point = send_window::time_point;

const time_point start = time_point{} + std::chrono::days{20000};

TEST(SendWindow, AllowsUpToTheRatePerMinuteThenWaitsForTheOldestToLeave) {
  send_window w({.per_minute = 3, .per_day = 1000});
  w.record(start);
  w.record(start + 10s);
  EXPECT_TRUE(w.decide(start + 20s).allowed);
  w.record(start + 20s);
  auto d = w.decide(start + 30s);
  EXPECT_FALSE(d.allowed);
  // The window is (t - 60 s, t]: the send at `start` leaves it at +60 s.
  EXPECT_EQ(d.next, start + 60s);
  EXPECT_FALSE(w.decide(start + 60s - 1ns).allowed);
  EXPECT_TRUE(w.decide(start + 60s).allowed);
}

TEST(SendWindow, FollowingEveryAnswerAchievesExactlyTheRate) {
  send_window w({.per_minute = 10, .per_day = 100000});
  auto now = start;
  for (int i = 0; i < 600; ++i) {
    auto d = w.decide(now);
    now = d.next;
    ASSERT_TRUE(w.decide(now).allowed) << i;
    w.record(now);
  }
  // 600 sends at 10 per sliding minute: the last goes out in the 60th minute.
  EXPECT_EQ(now, start + 59min);
}

TEST(SendWindow, DailyCapIsASliding24Hours) {
  send_window w({.per_minute = 100, .per_day = 2});
  w.record(start);
  w.record(start + 1h);
  auto d = w.decide(start + 2h);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next, start + 24h);
  w.record(start + 24h);
  d = w.decide(start + 24h + 1s);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next, start + 25h);
}

TEST(SendWindow, TheLaterOfBothLimitsWins) {
  send_window w({.per_minute = 1, .per_day = 2});
  w.record(start);
  w.record(start + 2min);
  EXPECT_EQ(w.decide(start + 2min).next, start + 24h);  // minute limit says +3 min, day says +24 h
  send_window v({.per_minute = 1, .per_day = 5});
  v.record(start);
  EXPECT_EQ(v.decide(start + 1s).next, start + 1min);
}

TEST(SendWindow, LimitsBelowOneAreOne) {
  send_window w({.per_minute = 0, .per_day = 0});
  EXPECT_TRUE(w.decide(start).allowed);
  w.record(start);
  EXPECT_EQ(w.decide(start).next, start + 24h);
}

TEST(SendWindow, EmptyHistoryAllowsAtOnce) {
  send_window w({.per_minute = 5, .per_day = 5});
  auto d = w.decide(start);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.next, start);
}

TEST(SendWindow, OutOfOrderRecordCountsAsTheLatest) {
  send_window w({.per_minute = 2, .per_day = 100});
  w.record(start + 30s);
  w.record(start);  // late: kept at +30 s, the order stays sorted
  EXPECT_EQ(w.decide(start + 31s).next, start + 90s);
}

}  // namespace
}  // namespace crmd::domain::campaign
