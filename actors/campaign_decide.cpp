#include "actors/campaign_decide.hpp"

#include "domain/campaign/address_zone.hpp"
#include "domain/campaign/recipient_zone.hpp"
#include "domain/time_zone.hpp"

#include <algorithm>

namespace crmd::campaign_runtime {

namespace dc = domain::campaign;
using std::chrono::minutes;

dc::local_window sending_window(minutes quiet_start, minutes quiet_end) {
  if (quiet_start > quiet_end)
    return {quiet_end, quiet_start};
  if (quiet_start == quiet_end)  // no quiet hours at all: the floor alone decides
    return {minutes{0}, minutes{24 * 60}};
  // Quiet inside the day: [0, start) or [end, 24:00); keep the piece the floor overlaps more.
  auto overlap = [](minutes open, minutes close) {
    return std::max(minutes{0}, std::min(close, dc::hard_floor.close)
                                  - std::max(open, dc::hard_floor.open));
  };
  dc::local_window morning{minutes{0}, quiet_start};
  dc::local_window evening{quiet_end, minutes{24 * 60}};
  return overlap(morning.open, morning.close) >= overlap(evening.open, evening.close) ? morning
                                                                                       : evening;
}

std::vector<std::string> member_zones(const member_row& member, std::string_view default_zone) {
  if (!member.time_zone.empty() && domain::is_known_time_zone(member.time_zone))
    return {member.time_zone};
  if (auto zones = dc::zones_for_us_state(member.state); !zones.empty())
    return zones;
  return dc::resolve_recipient_zone({}, member.phone, default_zone).zones;
}

member_decision decide_member(const campaign_settings& campaign, const member_row& member,
                              std::chrono::sys_seconds now, std::string_view default_zone,
                              dc::local_window floor) {
  member_decision out;
  if (member.opted_out) {
    out.action = member_action::suppress_opted_out;
    return out;
  }
  if (member.phone.empty()) {
    out.action = member_action::suppress_no_number;
    return out;
  }
  auto zones = member_zones(member, default_zone);
  auto window = dc::check_send_window(now, zones, campaign.window, floor);
  switch (window.state) {
    case dc::window_state::open:
      break;
    case dc::window_state::closed:
      out.action = member_action::wait;
      out.next_open = window.next_open;
      return out;
    case dc::window_state::unknown_zone:
    case dc::window_state::empty_window:
      out.action = member_action::fail_no_window;
      return out;
  }
  unsigned percent_a = campaign.template_b ? campaign.split_percent : 100;
  auto variant = dc::assign_variant(campaign.id, member.contact_id, percent_a,
                                    member.existing_customer, campaign.rule);
  const dc::parsed_template* chosen = &campaign.template_a;
  out.variant = 'A';
  if (variant == dc::template_variant::b && campaign.template_b) {
    chosen = &*campaign.template_b;
    out.variant = 'B';
  } else if (variant == dc::template_variant::existing_customer && campaign.template_existing) {
    chosen = &*campaign.template_existing;
    out.variant = 'E';
  }
  dc::render_options options;
  if (member.first_contact && campaign.opt_out_line)
    options.opt_out_line = *campaign.opt_out_line;
  out.body = dc::render_template(*chosen, member.values, options);
  out.action = member_action::send;
  out.next_open = now;
  return out;
}

}  // namespace crmd::campaign_runtime
