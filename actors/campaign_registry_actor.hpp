#pragma once

#include "actors/campaign_runtime_options.hpp"

#include <caf/fwd.hpp>

namespace crmd {

// The campaigns' runtime root (registry key `campaigns`). At start it resumes every 'running'
// campaign and arms a timer for each 'scheduled' one. It answers
//   (campaign_command_atom, campaign_command) → campaign_command_result
// for launch (draft → scheduled, and → running unless scheduled_at is in the future; a
// scheduled campaign launches now), pause, resume and cancel: each step is checked with
// domain::campaign::check_transition and committed by campaign_transition (which builds the
// audience when a campaign first runs), then the campaign's actor is spawned or stopped and
// campaign.updated is published on `campaigns` and campaign:<id>. Campaign actors are monitored and
// respawned with a doubling backoff when they crash. It owns one sending-number actor per number,
// handed out by (sending_number_atom, PN id) → actor and shared by every campaign using it.
caf::actor spawn_campaign_registry(caf::actor_system& system, campaign_runtime_options options);

}  // namespace crmd
