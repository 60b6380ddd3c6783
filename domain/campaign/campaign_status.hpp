#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

// A campaign's life: draft -> scheduled -> running <-> paused -> complete, or cancelled from any
// state that has not ended. Every status change goes through check_transition, so an API call, a
// timer and the runner cannot disagree about what is allowed.
namespace crmd::domain::campaign {

enum class campaign_status : std::uint8_t {
  draft, scheduled, running, paused, complete, cancelled,
};

std::string_view to_string(campaign_status status);  // the text stored in campaigns.status
std::optional<campaign_status> parse_campaign_status(std::string_view text);

struct transition_check {
  bool allowed;
  std::string_view reason;  // why not, for the API's error; empty when allowed
};

transition_check check_transition(campaign_status from, campaign_status to);

}  // namespace crmd::domain::campaign
