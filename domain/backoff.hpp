#pragma once

#include <chrono>

// Pure backoff rules shared by the supervisor, the database pool and provider clients.
namespace crmd::domain {

// Exponential delay for the n-th consecutive failure (n >= 1): min * 2^(n-1), capped at max.
std::chrono::milliseconds exponential_delay(int failures, std::chrono::milliseconds min,
                                            std::chrono::milliseconds max);

// "Full jitter": a uniform point in [0, exponential_delay] chosen by unit_random in [0, 1).
std::chrono::milliseconds full_jitter_delay(int failures, std::chrono::milliseconds min,
                                            std::chrono::milliseconds max, double unit_random);

// Consecutive-failure count after a crash: a child that ran at least `stable_after` before
// crashing starts again from one, so an old burst of crashes does not slow today's restart.
int failures_after_crash(int previous_failures, std::chrono::milliseconds ran_for,
                         std::chrono::milliseconds stable_after);

}  // namespace crmd::domain
