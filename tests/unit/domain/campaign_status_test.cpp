#include "domain/campaign/campaign_status.hpp"

#include <gtest/gtest.h>

namespace crmd::domain::campaign {
namespace {

using enum campaign_status;

TEST(CampaignStatus, TheLifecycleIsAllowed) {
  EXPECT_TRUE(check_transition(draft, scheduled).allowed);
  EXPECT_TRUE(check_transition(scheduled, running).allowed);
  EXPECT_TRUE(check_transition(running, paused).allowed);
  EXPECT_TRUE(check_transition(paused, running).allowed);
  EXPECT_TRUE(check_transition(running, complete).allowed);
  for (auto from : {draft, scheduled, running, paused}) {
    auto c = check_transition(from, cancelled);
    EXPECT_TRUE(c.allowed) << to_string(from);
    EXPECT_TRUE(c.reason.empty());
  }
}

TEST(CampaignStatus, SkipsAndReversalsAreRefusedWithAReason) {
  struct refused {
    campaign_status from, to;
    std::string_view reason;
  };
  for (auto [from, to, reason] : {
         refused{draft, running, "only a scheduled or paused campaign can run"},
         refused{draft, paused, "only a running campaign can be paused"},
         refused{scheduled, paused, "only a running campaign can be paused"},
         refused{paused, complete, "only a running campaign can complete"},
         refused{running, scheduled, "only a draft can be scheduled"},
         refused{scheduled, draft, "a campaign cannot return to draft"},
         refused{running, running, "the campaign is already in that status"},
       }) {
    auto c = check_transition(from, to);
    EXPECT_FALSE(c.allowed) << to_string(from) << " -> " << to_string(to);
    EXPECT_EQ(c.reason, reason);
  }
}

TEST(CampaignStatus, EndedCampaignsStayEnded) {
  for (auto from : {complete, cancelled})
    for (auto to : {draft, scheduled, running, paused, complete, cancelled}) {
      auto c = check_transition(from, to);
      EXPECT_FALSE(c.allowed);
      EXPECT_EQ(c.reason, "the campaign has ended");
    }
}

TEST(CampaignStatus, StoredTextRoundTrips) {
  for (auto s : {draft, scheduled, running, paused, complete, cancelled})
    EXPECT_EQ(parse_campaign_status(to_string(s)), s);
  EXPECT_FALSE(parse_campaign_status("Running").has_value());
  EXPECT_FALSE(parse_campaign_status("").has_value());
}

}  // namespace
}  // namespace crmd::domain::campaign
