#pragma once

#include <chrono>
#include <optional>
#include <string_view>

// When to try a provider call again. Pure: the caller passes the attempt count, what the server
// said (Retry-After) and a random number, and schedules the delay itself.
namespace crmd::domain {

struct retry_policy {
  int max_attempts = 8;  // attempts in total, the first one included
  std::chrono::milliseconds backoff_min{500};
  std::chrono::milliseconds backoff_max{30000};
};

// 429 and the transient 5xx (500, 502, 503, 504). Other statuses say the request itself is
// wrong, or will stay wrong however often it is repeated.
bool is_retryable_status(int status);

// Transport failure codes (integrations/http's stable codes) worth repeating: the call timed
// out or the connection could not be made or broke. TLS and size failures will recur.
bool is_retryable_transport(std::string_view code);

// For a request without an idempotency key (OpenPhone's POST /v1/messages has none), only a
// failure that proves the server never acted on it may be repeated: 429, or no connection.
bool is_safe_to_repeat(bool idempotent, int status, std::string_view transport_code);

// The delay before the attempt after `attempts_made` failed ones, or nullopt to give up
// (`attempts_made` >= max_attempts). Full-jitter exponential backoff from `unit_random` in
// [0, 1), never shorter than the server's Retry-After.
std::optional<std::chrono::milliseconds> retry_delay(
  const retry_policy& policy, int attempts_made,
  std::optional<std::chrono::milliseconds> retry_after, double unit_random);

// A Retry-After value: delta-seconds ("120") or an HTTP-date (IMF-fixdate, RFC 850 or asctime
// form, RFC 9110 §10.2.3), as a wait from `now`; a date in the past is zero. nullopt when the
// value is neither.
std::optional<std::chrono::milliseconds> parse_retry_after(
  std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace crmd::domain
