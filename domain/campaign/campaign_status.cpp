#include "domain/campaign/campaign_status.hpp"

#include <array>

namespace crmd::domain::campaign {

namespace {

constexpr std::array<std::string_view, 6> names = {"draft",  "scheduled", "running",
                                                   "paused", "complete",  "cancelled"};

}  // namespace

std::string_view to_string(campaign_status status) {
  return names[static_cast<std::size_t>(status)];
}

std::optional<campaign_status> parse_campaign_status(std::string_view text) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == text)
      return static_cast<campaign_status>(i);
  return std::nullopt;
}

transition_check check_transition(campaign_status from, campaign_status to) {
  using enum campaign_status;
  if (from == complete || from == cancelled)
    return {false, "the campaign has ended"};
  if (from == to)
    return {false, "the campaign is already in that status"};
  switch (to) {
    case cancelled:
      return {true, {}};
    case scheduled:
      if (from == draft)
        return {true, {}};
      return {false, "only a draft can be scheduled"};
    case running:
      if (from == scheduled || from == paused)
        return {true, {}};
      return {false, "only a scheduled or paused campaign can run"};
    case paused:
      if (from == running)
        return {true, {}};
      return {false, "only a running campaign can be paused"};
    case complete:
      if (from == running)
        return {true, {}};
      return {false, "only a running campaign can complete"};
    case draft:
      return {false, "a campaign cannot return to draft"};
  }
  return {false, "unknown status"};
}

}  // namespace crmd::domain::campaign
