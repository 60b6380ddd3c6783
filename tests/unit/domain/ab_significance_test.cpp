#include "domain/campaign/ab_significance.hpp"

#include <gtest/gtest.h>

namespace crmd::domain::campaign {
namespace {

TEST(AbSignificance, KnownValues) {
  // 20 % vs 25 % of 1,000 each: pooled p = 0.225, z = -2.6774, p = 0.00742.
  auto r = two_proportion_z_test(1000, 200, 1000, 250);
  EXPECT_NEAR(r.z, -2.677398, 1e-6);
  EXPECT_NEAR(r.p_value, 0.0074196, 1e-7);
  EXPECT_TRUE(r.significant);
  // 12 % vs 15 % of 500: not significant.
  r = two_proportion_z_test(500, 60, 500, 75);
  EXPECT_NEAR(r.z, -1.388086, 1e-6);
  EXPECT_NEAR(r.p_value, 0.165111, 1e-6);
  EXPECT_FALSE(r.significant);
}

TEST(AbSignificance, SymmetricInTheVariants) {
  auto ab = two_proportion_z_test(800, 100, 900, 150);
  auto ba = two_proportion_z_test(900, 150, 800, 100);
  EXPECT_DOUBLE_EQ(ab.z, -ba.z);
  EXPECT_DOUBLE_EQ(ab.p_value, ba.p_value);
}

TEST(AbSignificance, EqualRatesAreNotSignificant) {
  auto r = two_proportion_z_test(100, 10, 100, 10);
  EXPECT_EQ(r.z, 0);
  EXPECT_EQ(r.p_value, 1);
  EXPECT_FALSE(r.significant);
}

TEST(AbSignificance, ZeroCountsNeverDivideByZero) {
  for (auto r : {two_proportion_z_test(0, 0, 0, 0), two_proportion_z_test(0, 0, 100, 30),
                 two_proportion_z_test(100, 0, 100, 0), two_proportion_z_test(50, 50, 80, 80)}) {
    EXPECT_EQ(r.z, 0);
    EXPECT_EQ(r.p_value, 1);
    EXPECT_FALSE(r.significant);
  }
}

TEST(AbSignificance, PositivesAboveSentAreClamped) {
  auto clamped = two_proportion_z_test(100, 150, 100, 50);
  auto exact = two_proportion_z_test(100, 100, 100, 50);
  EXPECT_DOUBLE_EQ(clamped.z, exact.z);
  EXPECT_TRUE(clamped.significant);
}

}  // namespace
}  // namespace crmd::domain::campaign
