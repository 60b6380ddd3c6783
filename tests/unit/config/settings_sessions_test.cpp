#include "config/settings.hpp"
#include "tests/unit/config/settings_env.hpp"

#include <gtest/gtest.h>

namespace crmd::config {
namespace {

using testing::with;

TEST(SettingsSessions, DefaultsAreAWeekIdleAMonthAtMostAndNoSecureFlag) {
  auto result = load({{"CRM_DATABASE_URL", "postgresql://crmd@127.0.0.1:5432/crmd"}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.values.session_ttl, std::chrono::hours(168));
  EXPECT_EQ(result.values.session_max_age, std::chrono::days(30));
  EXPECT_FALSE(result.values.cookie_secure);
}

TEST(SettingsSessions, AcceptsValuesInRange) {
  EXPECT_EQ(load(with("CRM_SESSION_TTL_HOURS", "1")).values.session_ttl, std::chrono::hours(1));
  EXPECT_EQ(load(with("CRM_SESSION_MAX_DAYS", "365")).values.session_max_age,
            std::chrono::days(365));
  EXPECT_TRUE(load(with("CRM_COOKIE_SECURE", "true")).values.cookie_secure);
  EXPECT_FALSE(load(with("CRM_COOKIE_SECURE", "false")).values.cookie_secure);
}

TEST(SettingsSessions, RejectsValuesOutOfRangeOrNotBoolean) {
  for (auto [key, value] : {std::pair{"CRM_SESSION_TTL_HOURS", "0"},
                            std::pair{"CRM_SESSION_TTL_HOURS", "8761"},
                            std::pair{"CRM_SESSION_TTL_HOURS", "2h"},
                            std::pair{"CRM_SESSION_MAX_DAYS", "0"},
                            std::pair{"CRM_SESSION_MAX_DAYS", "366"},
                            std::pair{"CRM_COOKIE_SECURE", "yes"},
                            std::pair{"CRM_COOKIE_SECURE", "1"}}) {
    auto result = load(with(key, value));
    ASSERT_EQ(result.errors.size(), 1u) << key << "=" << value;
    EXPECT_EQ(result.errors[0].rfind(std::string(key) + "=" + value + ": ", 0), 0u)
      << result.errors[0];
  }
}

}  // namespace
}  // namespace crmd::config
