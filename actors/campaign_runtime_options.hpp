#pragma once

#include "domain/campaign/quiet_hours.hpp"

#include <chrono>
#include <functional>
#include <string>

namespace crmd {

// Settings shared by the campaign registry, the campaign actors and the sending-number actors.
struct campaign_runtime_options {
  using time_point = std::chrono::system_clock::time_point;

  std::string default_zone = "America/New_York";      // CRM_CAMPAIGN_DEFAULT_ZONE
  domain::campaign::local_window floor = domain::campaign::hard_floor;  // CRM_CAMPAIGN_HARD_WINDOW
  int page_size = 500;                                // CRM_CAMPAIGN_PAGE_SIZE
  std::chrono::milliseconds db_timeout{30000};
  // The wall clock every window, throttle and timestamp decision reads. Injected so tests can
  // make hours pass in milliseconds.
  std::function<time_point()> now = [] { return std::chrono::system_clock::now(); };
  // A timer never sleeps longer than this before looking at `now` again: a timer set hours ahead
  // is re-armed on the way (tests with a jumping clock use a few milliseconds).
  std::chrono::milliseconds max_timer{60000};
  // A membership left 'sending' by this same process run (a crashed campaign actor) is settled
  // only after this long, when the provider client has surely finished its request.
  std::chrono::milliseconds settle_after{600000};
  // A membership left 'sending' by another run is looked up only this long after the campaign
  // actor starts: a request that dead process wrote just before it died may still be on its way
  // through the provider (a lookup before it lands would send a second copy).
  std::chrono::milliseconds in_transit_grace{15000};
  // After an ambiguous provider failure (timeout, dropped connection), the lookup waits this long
  // so the provider has stored what it accepted.
  std::chrono::milliseconds ambiguous_settle_delay{3000};
  // Provider calls (with their recording) one campaign has open at once: sends begin only as
  // fast as the provider client takes them, so a crash leaves few memberships to settle.
  int max_sends_in_flight = 32;
  // After a failed query or lookup, and between scans with members left to retry.
  std::chrono::milliseconds retry_delay{5000};
  // campaign.updated frames while sending: at most one per campaign this often.
  std::chrono::milliseconds progress_interval{1000};
  // A crashed campaign actor is respawned after this, doubling up to the maximum.
  std::chrono::milliseconds restart_backoff_min{200}, restart_backoff_max{30000};
  // This process run (random at start): stored with each membership moved to 'sending'.
  std::string run_id;
};

// A random id for this process run, the same for every call.
const std::string& campaign_process_run_id();

}  // namespace crmd
