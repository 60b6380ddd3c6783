#include "tools/openphone-emulator/admission.hpp"

#include "tools/openphone-emulator/world.hpp"

#include <algorithm>

namespace crmd::openphone_emulator::rest {

bool take_token(token_bucket& bucket, int rate, std::int64_t now_ns) {
  if (rate <= 0)
    return true;
  if (!bucket.primed) {
    bucket = {static_cast<double>(rate), now_ns, true};
  } else if (now_ns > bucket.refilled_ns) {
    double elapsed_s = static_cast<double>(now_ns - bucket.refilled_ns) / 1e9;
    bucket.tokens = std::min<double>(rate, bucket.tokens + elapsed_s * rate);
    bucket.refilled_ns = now_ns;
  }
  if (bucket.tokens < 1)
    return false;
  bucket.tokens -= 1;
  return true;
}

std::string_view to_string(injection kind) {
  switch (kind) {
    case injection::none: return "none";
    case injection::fail_500: return "500";
    case injection::fail_503: return "503";
    case injection::slow: return "slow";
    case injection::drop: return "drop";
  }
  return "none";
}

injection decide_injection(const injection_rates& rates, std::uint64_t seed,
                           std::uint64_t request_n) {
  std::uint64_t draw = mix64(mix64(seed ^ 0x494e4a454354ULL) + request_n);
  double u = static_cast<double>(draw >> 11) * 0x1.0p-53;
  if (u < rates.fail)
    // The lowest bit is independent of the top 53 used for u.
    return (draw & 1) == 0 ? injection::fail_500 : injection::fail_503;
  if (u < rates.fail + rates.slow)
    return injection::slow;
  if (u < rates.fail + rates.slow + rates.drop)
    return injection::drop;
  return injection::none;
}

}  // namespace crmd::openphone_emulator::rest
