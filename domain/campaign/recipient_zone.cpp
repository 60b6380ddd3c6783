#include "domain/campaign/recipient_zone.hpp"

#include "domain/time_zone.hpp"

#include <algorithm>

namespace crmd::domain::campaign {

namespace {

struct tz_prefix {
  std::string_view prefix;  // country code and leading digits, no '+'
  std::string_view zones;   // space-separated, westernmost first
};

// Built from python3-phonenumbers by scripts/gen_tz_prefixes.py (its header explains the rules).
constexpr tz_prefix tz_prefixes[] = {
#include "domain/campaign/tz_prefixes.inc"
};

static_assert(std::ranges::is_sorted(tz_prefixes, {}, &tz_prefix::prefix),
              "the generated table must be sorted for the binary search");

constexpr std::size_t longest_prefix = 8;
constexpr std::size_t longest_e164 = 15;

std::vector<std::string> split_zones(std::string_view zones) {
  std::vector<std::string> out;
  while (!zones.empty()) {
    auto space = zones.find(' ');
    out.emplace_back(zones.substr(0, space));
    zones = space == std::string_view::npos ? std::string_view{} : zones.substr(space + 1);
  }
  return out;
}

}  // namespace

std::vector<std::string> zones_for_number(std::string_view phone) {
  if (phone.size() < 2 || phone.front() != '+')
    return {};
  auto digits = phone.substr(1);
  if (digits.size() > longest_e164 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return {};
  for (auto length = std::min(digits.size(), longest_prefix); length > 0; --length) {
    auto key = digits.substr(0, length);
    auto it = std::ranges::lower_bound(tz_prefixes, key, {}, &tz_prefix::prefix);
    if (it != std::end(tz_prefixes) && it->prefix == key)
      return split_zones(it->zones);
  }
  return {};
}

recipient_zone resolve_recipient_zone(std::string_view stored_zone, std::string_view phone,
                                      std::string_view business_zone) {
  if (is_known_time_zone(stored_zone))
    return {{std::string(stored_zone)}, zone_source::contact};
  if (auto zones = zones_for_number(phone); !zones.empty())
    return {std::move(zones), zone_source::phone_prefix};
  return {{std::string(business_zone)}, zone_source::business_default};
}

}  // namespace crmd::domain::campaign
