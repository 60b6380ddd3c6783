#pragma once

#include "actors/campaign_runtime_options.hpp"

#include <caf/fwd.hpp>

#include <string>

namespace crmd {

// The throttle of one sending number (an OpenPhone PN… id), shared by every campaign sending from
// it: a domain::campaign::send_window with the strictest per-minute rate and daily cap among the
// campaigns waiting, whose sliding day is rebuilt at spawn from the memberships sent (or being
// sent) from that number in the last 24 h. A requester sends
//   (permit_request_atom, campaign id, count, per_minute, per_day)
// and receives one (permit_grant_atom, campaign id, granted at in epoch ms) per permit, in order,
// round robin between requesters; a requester that terminates loses what it still waited for.
// Granted permits are recorded as sends: a permit not used is volume not sent, never extra.
caf::actor spawn_sending_number_actor(caf::actor_system& system, std::string phone_number_id,
                                      campaign_runtime_options options);

}  // namespace crmd
