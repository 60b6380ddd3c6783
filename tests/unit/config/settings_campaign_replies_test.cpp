#include "config/settings.hpp"
#include "tests/unit/config/settings_env.hpp"

#include <gtest/gtest.h>

namespace crmd::config {
namespace {

using testing::with;

TEST(SettingsCampaignReplies, HelpReplyHasADefaultAndIsOneLine) {
  auto defaults = load({{"CRM_DATABASE_URL", "postgresql://crmd@127.0.0.1:5432/crmd"}});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults.values.campaign_help_reply,
            "Attack-a-Crack: reply STOP to opt out. Questions? Call us at this number.");
  auto set = load(with("CRM_CAMPAIGN_HELP_REPLY", "Reply STOP to stop. Call 508-555-0100."));
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set.values.campaign_help_reply, "Reply STOP to stop. Call 508-555-0100.");
  EXPECT_FALSE(load(with("CRM_CAMPAIGN_HELP_REPLY", "")).ok());
  EXPECT_FALSE(load(with("CRM_CAMPAIGN_HELP_REPLY", "   ")).ok());
  EXPECT_FALSE(load(with("CRM_CAMPAIGN_HELP_REPLY", "two\nlines")).ok());
  EXPECT_FALSE(load(with("CRM_CAMPAIGN_HELP_REPLY", std::string(307, 'x'))).ok());
}

}  // namespace
}  // namespace crmd::config
