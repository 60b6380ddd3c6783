#pragma once

// Shared by the campaign actor's source files (lifecycle and scanning, sending and settling).

#include "actors/campaign_decide.hpp"
#include "actors/campaign_runtime_options.hpp"
#include "actors/interfaces.hpp"

#include <caf/stateful_actor.hpp>

#include <deque>
#include <unordered_set>
#include <optional>
#include <string>
#include <vector>

namespace crmd::campaign_runtime {

struct ready_member {
  std::int64_t id = 0;
  std::string phone;
  std::string body;
  char variant = 'A';
  std::vector<std::string> zones;  // the window is checked again when the permit comes
};

struct campaign_state {
  static constexpr const char* name = "crmd.campaign";
  std::int64_t id = 0;
  caf::actor registry;
  campaign_runtime_options options;
  std::optional<campaign_settings> settings;
  caf::actor number;  // the sending number's throttle

  // Scanning: a pass over the pending members in id order.
  std::int64_t cursor = 0;
  bool scanning = false;
  bool scan_done = false;
  bool last_page_full = false;
  std::uint64_t decided = 0;  // members decided in this pass (logged when it ends)
  std::chrono::steady_clock::time_point scan_started{};
  std::optional<std::chrono::sys_seconds> earliest_open;  // of the members left waiting
  std::uint64_t wake = 0;                                 // generation of the armed wake-up

  // The page being sent: members waiting for a permit, then granted ones waiting to be begun.
  std::deque<ready_member> awaiting_permit;
  std::vector<ready_member> granted;
  bool beginning = false;  // a campaign_begin_sends is in flight
  // Members between their decision and their begin_sends outcome: a new pass (after a settlement
  // put someone back to pending) must not queue them twice.
  std::unordered_set<std::int64_t> pipeline;

  int in_flight = 0;  // queries, provider calls and settlements not yet recorded
  int delayed = 0;    // settlements waiting for their timer
  int sends_in_flight = 0;     // begun and handed to the provider client, not yet recorded
  bool rescan_needed = false;  // a member went back to pending behind the cursor
  bool stopping = false;
  bool progress_armed = false;
  bool progress_dirty = false;
};

using campaign_ptr = caf::stateful_actor<campaign_state>*;

// campaign_actor.cpp
void scan_next_page(campaign_ptr self);
void after_work(campaign_ptr self);  // a send or settlement finished, or a page was handled
void page_sent(campaign_ptr self);   // the page's sendable members are all begun (or skipped)
void publish_frames(campaign_ptr self, const storage::pg_result& frames);
void mark_progress(campaign_ptr self);
std::chrono::sys_seconds now_seconds(campaign_ptr self);

// campaign_actor_send.cpp
void request_permits(campaign_ptr self);
void on_permit(campaign_ptr self, std::int64_t granted_ms);
void flush_begin(campaign_ptr self);
void settle_left_sending(campaign_ptr self);
// Asks the provider whether the text of a 'sending' membership went out and records it sent, or
// pending again when the provider has no copy.
void settle_now(campaign_ptr self, ready_member member, std::int64_t sending_ms);

}  // namespace crmd::campaign_runtime
