#include "config/settings.hpp"
#include "tests/unit/config/settings_env.hpp"

#include <gtest/gtest.h>

namespace crmd::config {
namespace {

using testing::with;
using std::chrono::minutes;

TEST(SettingsBusiness, DefaultsAreNewYorkWeekdaysAndANightlyReconcileAt0230) {
  auto result = load({{"CRM_DATABASE_URL", "postgresql://crmd@127.0.0.1:5432/crmd"}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.values.business_time_zone, "America/New_York");
  EXPECT_EQ(result.values.business_hours.days, 0b0111110);
  EXPECT_EQ(result.values.reconcile_at, minutes{150});
  EXPECT_EQ(result.values.reconcile_overlap, std::chrono::hours{1});
}

TEST(SettingsBusiness, ReadsTheZoneTheHoursAndTheReconcileTime) {
  EXPECT_EQ(load(with("CRM_BUSINESS_TIME_ZONE", "America/Chicago")).values.business_time_zone,
            "America/Chicago");
  auto hours = load(with("CRM_BUSINESS_HOURS", "Mon-Sat 07:00-17:30")).values.business_hours;
  EXPECT_EQ(hours.days, 0b1111110);
  EXPECT_EQ(hours.close, minutes{17 * 60 + 30});
  EXPECT_EQ(load(with("CRM_RECONCILE_AT", "23:05")).values.reconcile_at, minutes{23 * 60 + 5});
  EXPECT_FALSE(load(with("CRM_RECONCILE_AT", "off")).values.reconcile_at);
}

TEST(SettingsBusiness, RefusesUnknownZonesHoursAndTimes) {
  EXPECT_FALSE(load(with("CRM_BUSINESS_TIME_ZONE", "Mars/Olympus")).ok());
  EXPECT_FALSE(load(with("CRM_BUSINESS_HOURS", "weekdays")).ok());
  for (const char* at : {"24:00", "2:30", "02:60", "never", ""})
    EXPECT_FALSE(load(with("CRM_RECONCILE_AT", at)).ok()) << at;
  EXPECT_FALSE(load(with("CRM_RECONCILE_OVERLAP_MS", "-1")).ok());
}

}  // namespace
}  // namespace crmd::config
