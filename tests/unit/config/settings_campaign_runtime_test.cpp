#include "config/settings.hpp"
#include "tests/unit/config/settings_env.hpp"

#include <gtest/gtest.h>

namespace crmd::config {
namespace {

using testing::with;

TEST(SettingsCampaignRuntime, DefaultsAreNewYorkTheLegalFloorAndPagesOf500) {
  auto result = load({{"CRM_DATABASE_URL", "postgresql://crmd@127.0.0.1:5432/crmd"}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.values.campaign_default_zone, "America/New_York");
  EXPECT_EQ(result.values.campaign_hard_window_open, std::chrono::minutes(8 * 60));
  EXPECT_EQ(result.values.campaign_hard_window_close, std::chrono::minutes(21 * 60));
  EXPECT_EQ(result.values.campaign_page_size, 500);
}

TEST(SettingsCampaignRuntime, AcceptsAKnownZoneAStricterWindowAndAPageSize) {
  EXPECT_EQ(load(with("CRM_CAMPAIGN_DEFAULT_ZONE", "America/Denver")).values.campaign_default_zone,
            "America/Denver");
  auto window = load(with("CRM_CAMPAIGN_HARD_WINDOW", "09:30-20:00"));
  ASSERT_TRUE(window.ok());
  EXPECT_EQ(window.values.campaign_hard_window_open, std::chrono::minutes(9 * 60 + 30));
  EXPECT_EQ(window.values.campaign_hard_window_close, std::chrono::minutes(20 * 60));
  EXPECT_EQ(load(with("CRM_CAMPAIGN_PAGE_SIZE", "10")).values.campaign_page_size, 10);
}

TEST(SettingsCampaignRuntime, RejectsUnknownZonesLooserOrMalformedWindowsAndBadPageSizes) {
  for (auto [key, value] : {std::pair{"CRM_CAMPAIGN_DEFAULT_ZONE", "Mars/Olympus"},
                            std::pair{"CRM_CAMPAIGN_DEFAULT_ZONE", ""},
                            std::pair{"CRM_CAMPAIGN_HARD_WINDOW", "07:59-21:00"},
                            std::pair{"CRM_CAMPAIGN_HARD_WINDOW", "08:00-21:01"},
                            std::pair{"CRM_CAMPAIGN_HARD_WINDOW", "20:00-09:00"},
                            std::pair{"CRM_CAMPAIGN_HARD_WINDOW", "9:00-20:00"},
                            std::pair{"CRM_CAMPAIGN_HARD_WINDOW", "09:00"},
                            std::pair{"CRM_CAMPAIGN_PAGE_SIZE", "9"},
                            std::pair{"CRM_CAMPAIGN_PAGE_SIZE", "10001"}}) {
    auto result = load(with(key, value));
    ASSERT_EQ(result.errors.size(), 1u) << key << "=" << value;
    EXPECT_EQ(result.errors[0].rfind(key, 0), 0u) << result.errors[0];
  }
}

}  // namespace
}  // namespace crmd::config
