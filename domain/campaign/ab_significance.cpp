#include "domain/campaign/ab_significance.hpp"

#include <algorithm>
#include <cmath>

namespace crmd::domain::campaign {

ab_test_result two_proportion_z_test(std::uint64_t sent_a, std::uint64_t positive_a,
                                     std::uint64_t sent_b, std::uint64_t positive_b) {
  positive_a = std::min(positive_a, sent_a);
  positive_b = std::min(positive_b, sent_b);
  if (sent_a == 0 || sent_b == 0)
    return {0, 1, false};
  double na = static_cast<double>(sent_a), nb = static_cast<double>(sent_b);
  double pa = static_cast<double>(positive_a) / na, pb = static_cast<double>(positive_b) / nb;
  double pooled = static_cast<double>(positive_a + positive_b) / (na + nb);
  double variance = pooled * (1 - pooled) * (1 / na + 1 / nb);
  if (variance <= 0)
    return {0, 1, false};
  double z = (pa - pb) / std::sqrt(variance);
  double p = std::erfc(std::abs(z) / std::sqrt(2.0));
  return {z, p, p < 0.05};
}

}  // namespace crmd::domain::campaign
