#pragma once

#include "domain/campaign/ab_assignment.hpp"
#include "domain/campaign/message_template.hpp"
#include "domain/campaign/quiet_hours.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

// What the campaign actor decides for one pending member, as a pure function of the campaign's
// settings, the member's row and the injected "now": the rules of domain/campaign/ put together.
namespace crmd::campaign_runtime {

// A campaign as the runtime needs it (campaign_runtime_settings), templates already parsed.
struct campaign_settings {
  std::int64_t id = 0;
  std::string status;
  domain::campaign::parsed_template template_a;
  std::optional<domain::campaign::parsed_template> template_b;
  std::optional<domain::campaign::parsed_template> template_existing;
  unsigned split_percent = 50;
  std::optional<std::string> opt_out_line;
  std::string from_phone_number_id;
  std::uint32_t per_minute = 30;
  std::uint32_t per_day = 1000;
  domain::campaign::local_window window{};  // the quiet hours inverted
  domain::campaign::existing_contact_rule rule = domain::campaign::existing_contact_rule::ignore;
};

// The sending window is the complement of the quiet hours [start, end) in local time. Quiet hours
// that wrap midnight (20:00-09:00, the usual case) leave [end, start); quiet hours inside one day
// leave two pieces, of which the one overlapping the legal floor more is kept (local_window
// never wraps).
domain::campaign::local_window sending_window(std::chrono::minutes quiet_start,
                                              std::chrono::minutes quiet_end);

// One row of campaign_pending_page.
struct member_row {
  std::int64_t id = 0;
  std::int64_t contact_id = 0;
  std::string phone;      // E.164, empty when none
  std::string time_zone;  // the contact's own, maybe empty or stale
  std::string state;      // postal address
  std::string postal_code;
  domain::campaign::merge_values values{};
  bool opted_out = false;
  bool existing_customer = false;
  bool first_contact = false;
};

enum class member_action : std::uint8_t {
  send,                // window open: `body` and `variant` are set
  wait,                // window closed until `next_open`
  suppress_opted_out,  // opted out since the audience was built
  suppress_no_number,  // nothing to text
  fail_no_window,      // no instant ever opens (zones too far apart for the window)
};

struct member_decision {
  member_action action = member_action::wait;
  std::chrono::sys_seconds next_open{};
  std::string body;
  char variant = 'A';  // 'A', 'B' or 'E' (variant_sent)
};

// The recipient's zones: the contact's own when the tz database knows it, else its address's
// state, else its number's prefix, else `default_zone`.
std::vector<std::string> member_zones(const member_row& member, std::string_view default_zone);

member_decision decide_member(const campaign_settings& campaign, const member_row& member,
                              std::chrono::sys_seconds now, std::string_view default_zone,
                              domain::campaign::local_window floor);

}  // namespace crmd::campaign_runtime
