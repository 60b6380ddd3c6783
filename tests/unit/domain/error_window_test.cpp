#include "domain/error_window.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using crmd::domain::error_window;

namespace {

const auto start = error_window::time_point(1000h);

}  // namespace

TEST(ErrorWindow, NoCallsIsARatioOfZero) {
  error_window window;
  EXPECT_EQ(window.counts(start).total, 0);
  EXPECT_EQ(window.counts(start).ratio(), 0.0);
}

TEST(ErrorWindow, RatioOfFailedToAllCalls) {
  error_window window;
  window.record(start, false);
  window.record(start + 10s, true);
  window.record(start + 3min, false);
  window.record(start + 7min, true);
  auto counts = window.counts(start + 8min);
  EXPECT_EQ(counts.total, 4);
  EXPECT_EQ(counts.failed, 2);
  EXPECT_DOUBLE_EQ(counts.ratio(), 0.5);
}

TEST(ErrorWindow, ForgetsCallsOlderThanFifteenMinutes) {
  error_window window;
  window.record(start, true);
  window.record(start + 10min, false);
  EXPECT_EQ(window.counts(start + 14min).failed, 1);
  auto later = window.counts(start + 15min);
  EXPECT_EQ(later.failed, 0);
  EXPECT_EQ(later.total, 1);
  EXPECT_EQ(window.counts(start + 2h).total, 0);
}

// A slot reused a quarter of an hour later starts from zero.
TEST(ErrorWindow, ReusedSlotsStartAfresh) {
  error_window window;
  window.record(start, true);
  window.record(start + 15min, false);
  auto counts = window.counts(start + 15min);
  EXPECT_EQ(counts.total, 1);
  EXPECT_EQ(counts.failed, 0);
}
