#pragma once

#include <caf/fwd.hpp>

#include <chrono>
#include <string>

namespace crmd {

struct reply_processor_options {
  std::string help_reply;  // CRM_CAMPAIGN_HELP_REPLY
  std::chrono::milliseconds interval{1000};
  int page_size = 200;
  std::chrono::milliseconds db_timeout{30000};
  // One classification, the LLM client's retries included; past it the reply counts as neutral.
  std::chrono::milliseconds llm_timeout{60000};
};

// Works through incoming texts not yet processed (activities_reply_pending_idx), oldest first,
// a page at a time; wakes every interval and on (reply_nudge_atom). Per text: a carrier keyword
// (domain::campaign::classify_keyword) opts the contact out (their pending campaign members
// suppressed) or back in, or answers HELP through the app's send path; a reply within a sent
// member's reply window is classified (domain::campaign::classify_reply, then the LLM client
// when registered and the rules are undecided, else neutral) and ties to that member. Each page
// commits in one transaction (apply_reply_decisions) that also marks its texts processed, so a
// crash repeats a page, never loses one. Publishes campaign.updated / campaign.member frames.
caf::actor spawn_reply_processor(caf::actor_system& system, reply_processor_options options);

}  // namespace crmd
