#pragma once

#include <cstdint>
#include <string_view>

// What happens to an authorised request before it is answered: the rate limit, then failure
// injection. Pure functions of their inputs, so unit tests drive them with made-up clocks and
// request numbers.
namespace crmd::openphone_emulator::rest {

// OpenPhone allows 10 requests per second per key (openphone-api.md §2): a bucket of `rate`
// tokens refilled at `rate` per second. It starts full.
struct token_bucket {
  double tokens = 0;
  std::int64_t refilled_ns = 0;
  bool primed = false;
};

// Refills for the time since the last call, then takes a token if there is one. `rate` 0 means
// unlimited. `now_ns` is a monotonic clock.
bool take_token(token_bucket& bucket, int rate, std::int64_t now_ns);

struct injection_rates {
  double fail = 0;  // answered 500 or 503, half each
  double slow = 0;  // answered late
  double drop = 0;  // cut off halfway through the body
};

enum class injection : std::uint8_t { none, fail_500, fail_503, slow, drop };

std::string_view to_string(injection kind);

// The fate of the `request_n`-th request that passed the rate limit. The shares are disjoint
// slices of one uniform draw, so they add up exactly (they must sum to at most 1).
injection decide_injection(const injection_rates& rates, std::uint64_t seed,
                           std::uint64_t request_n);

}  // namespace crmd::openphone_emulator::rest
