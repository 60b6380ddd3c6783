#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Which time zone a campaign's quiet hours use for a contact. The contact's own zone is best; its
// number's prefix is a guess (area codes move with people); the business's zone is the last resort.
namespace crmd::domain::campaign {

enum class zone_source : std::uint8_t { contact, phone_prefix, business_default };

struct recipient_zone {
  // One zone, or several for a prefix that spans zones: quiet hours must hold in all of them
  // (check_send_window's span overload). zones.front() opens latest and is the one to show.
  std::vector<std::string> zones;
  zone_source source;
};

// `stored_zone` is the contact's time_zone column (may be empty or stale), `phone` its E.164 number
// (may be empty), `business_zone` the configured default.
recipient_zone resolve_recipient_zone(std::string_view stored_zone, std::string_view phone,
                                      std::string_view business_zone);

// The zones of the longest prefix of an E.164 number ("+15085550100") in the generated table,
// westernmost first; empty for a malformed number or when no prefix says enough.
std::vector<std::string> zones_for_number(std::string_view phone);

}  // namespace crmd::domain::campaign
