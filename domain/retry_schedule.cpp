#include "domain/retry_schedule.hpp"

#include "domain/backoff.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

namespace crmd::domain {

namespace {

using namespace std::chrono;

// Longer waits are clamped: they only come from a broken or hostile header, and keep the
// arithmetic on time points far from overflow.
constexpr seconds longest_retry_after = hours{24 * 7};

constexpr std::array<std::string_view, 12> month_names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::optional<long> parse_digits(std::string_view text) {
  if (text.empty() || text.size() > 10)
    return std::nullopt;
  long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

std::optional<unsigned> month_number(std::string_view name) {
  for (std::size_t i = 0; i < month_names.size(); ++i)
    if (month_names[i] == name)
      return static_cast<unsigned>(i + 1);
  return std::nullopt;
}

// "08:49:37"
std::optional<seconds> parse_clock(std::string_view text) {
  if (text.size() != 8 || text[2] != ':' || text[5] != ':')
    return std::nullopt;
  auto h = parse_digits(text.substr(0, 2));
  auto m = parse_digits(text.substr(3, 2));
  auto s = parse_digits(text.substr(6, 2));
  if (!h || !m || !s || *h > 23 || *m > 59 || *s > 60)
    return std::nullopt;
  return hours{*h} + minutes{*m} + seconds{*s};
}

std::vector<std::string_view> split_fields(std::string_view text) {
  std::vector<std::string_view> fields;
  auto separator = [](char c) { return c == ' ' || c == '-' || c == ','; };
  std::size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && separator(text[at]))
      ++at;
    std::size_t start = at;
    while (at < text.size() && !separator(text[at]))
      ++at;
    if (at > start)
      fields.push_back(text.substr(start, at - start));
  }
  return fields;
}

// The three HTTP-date forms differ only in field order once split on spaces, dashes and the
// comma; the leading weekday is ignored (it is redundant).
//   IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT   -> 06 Nov 1994 08:49:37 GMT
//   RFC 850:     Sunday, 06-Nov-94 08:49:37 GMT  -> 06 Nov 94 08:49:37 GMT
//   asctime:     Sun Nov  6 08:49:37 1994        -> Nov 6 08:49:37 1994
std::optional<sys_seconds> parse_http_date(std::string_view text) {
  auto fields = split_fields(text);
  if (fields.size() != 5 && fields.size() != 6)
    return std::nullopt;
  std::optional<unsigned> month;
  std::optional<long> day;
  std::optional<long> year;
  std::optional<seconds> time_of_day;
  if (fields.size() == 6 && fields[5] == "GMT") {
    day = parse_digits(fields[1]);
    month = month_number(fields[2]);
    year = parse_digits(fields[3]);
    time_of_day = parse_clock(fields[4]);
    // RFC 850's two-digit year: RFC 9110 reads it as the most recent matching year.
    if (year && fields[3].size() == 2)
      *year += *year < 70 ? 2000 : 1900;
  } else if (fields.size() == 5) {
    month = month_number(fields[1]);
    day = parse_digits(fields[2]);
    time_of_day = parse_clock(fields[3]);
    year = parse_digits(fields[4]);
  }
  if (!month || !day || !year || !time_of_day || *year < 1900 || *year > 9999)
    return std::nullopt;
  year_month_day date{std::chrono::year{static_cast<int>(*year)}, std::chrono::month{*month},
                      std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok())
    return std::nullopt;
  return sys_days{date} + *time_of_day;
}

}  // namespace

bool is_retryable_status(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

bool is_retryable_transport(std::string_view code) {
  return code == "timeout" || code == "resolve_failed" || code == "connect_failed"
         || code == "connection_closed";
}

bool is_safe_to_repeat(bool idempotent, int status, std::string_view transport_code) {
  if (idempotent)
    return true;
  return status == 429 || transport_code == "resolve_failed"
         || transport_code == "connect_failed";
}

std::optional<milliseconds> retry_delay(const retry_policy& policy, int attempts_made,
                                        std::optional<milliseconds> retry_after,
                                        double unit_random) {
  if (attempts_made >= policy.max_attempts)
    return std::nullopt;
  auto delay = full_jitter_delay(attempts_made, policy.backoff_min, policy.backoff_max,
                                 unit_random);
  if (retry_after)
    delay = std::max(delay, *retry_after);
  return delay;
}

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
    value.remove_suffix(1);
  if (!value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos) {
    // Any run of digits is a valid delta; past ten digits it is clamped like a far date.
    auto delta = parse_digits(value);
    seconds wait = delta ? std::min(seconds{*delta}, longest_retry_after) : longest_retry_after;
    return duration_cast<milliseconds>(wait);
  }
  auto date = parse_http_date(value);
  if (!date)
    return std::nullopt;
  // Whole seconds on both sides: a far-future date cannot overflow nanosecond arithmetic, and
  // flooring `now` rounds the wait up, so the retry never comes early.
  auto wait = *date - floor<seconds>(now);
  if (wait <= seconds::zero())
    return milliseconds::zero();
  return duration_cast<milliseconds>(std::min(wait, longest_retry_after));
}

}  // namespace crmd::domain
