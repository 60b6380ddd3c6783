#pragma once

#include "actors/campaign_runtime_options.hpp"

#include <caf/fwd.hpp>

#include <cstdint>

namespace crmd {

// Runs one campaign while it is 'running'. The state is in the database; the actor holds a keyset
// cursor over the pending members, the members of the page it is deciding, and timers. At start it
// settles memberships left 'sending' (the provider is asked whether the text went out: found →
// sent, not found → pending again); then it pages the pending members, decides each with the pure
// rules (campaign_decide.hpp), suppresses the opted out, leaves those whose window is closed for a
// timer at the earliest opening, asks the sending number (through the registry's
// sending_number_atom) for permits, and per permit commits pending → sending before calling the
// provider (campaign_begin_sends), then sent / failed / settled. When nothing is left pending or
// sending it completes the campaign and stops. (campaign_stop_atom) stops it after the sends in
// flight are recorded. Publishes campaign.member frames on campaign:<id> per change and at most
// one campaign.updated per progress_interval on `campaigns` and campaign:<id>.
caf::actor spawn_campaign_actor(caf::actor_system& system, std::int64_t campaign_id,
                                caf::actor registry, campaign_runtime_options options);

}  // namespace crmd
