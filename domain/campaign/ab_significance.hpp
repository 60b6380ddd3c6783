#pragma once

#include <cstdint>

// Whether variants A and B of a campaign differ in their positive-reply rate: the pooled
// two-proportion z-test, enough for the counts a campaign produces (hundreds to thousands).
namespace crmd::domain::campaign {

struct ab_test_result {
  double z;        // (rate A - rate B) / pooled standard error; 0 when undefined
  double p_value;  // two-sided; 1 when undefined (an empty variant, or 0 % or 100 % everywhere)
  bool significant;  // p < 0.05
};

// A positive count above its sent count is clamped to it (replies counted before a resend).
ab_test_result two_proportion_z_test(std::uint64_t sent_a, std::uint64_t positive_a,
                                     std::uint64_t sent_b, std::uint64_t positive_b);

}  // namespace crmd::domain::campaign
