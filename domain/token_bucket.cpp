#include "domain/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace crmd::domain {

namespace {

constexpr double nanos_per_second = 1e9;
constexpr double slowest_rate = 1.0 / 3600.0;

}  // namespace

token_bucket::token_bucket(double rate_per_second, double burst) {
  double rate = rate_per_second > 0 && std::isfinite(rate_per_second) ? rate_per_second
                                                                       : slowest_rate;
  rate = std::max(rate, slowest_rate);
  double capacity = std::isfinite(burst) ? std::max(burst, 1.0) : 1.0;
  interval_ = duration{static_cast<duration::rep>(std::llround(nanos_per_second / rate))};
  interval_ = std::max(interval_, duration{1});
  tolerance_ = duration{static_cast<duration::rep>(
    std::llround(static_cast<double>(interval_.count()) * (capacity - 1.0)))};
}

token_bucket::duration token_bucket::wait_time(time_point now) const {
  auto earliest = next_slot_ - tolerance_;
  return now >= earliest ? duration::zero() : earliest - now;
}

bool token_bucket::try_take(time_point now) {
  if (wait_time(now) > duration::zero())
    return false;
  next_slot_ = std::max(next_slot_, now) + interval_;
  return true;
}

void token_bucket::defer_until(time_point until) {
  next_slot_ = std::max(next_slot_, until + tolerance_);
}

}  // namespace crmd::domain
