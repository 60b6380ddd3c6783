#include "config/settings.hpp"
#include "tests/unit/config/settings_env.hpp"

#include <gtest/gtest.h>

namespace crmd::config {
namespace {

using testing::with;
using std::chrono::milliseconds;

TEST(SettingsSyncHealth, DefaultsAreSixBusinessHoursAndAFifteenSecondCheck) {
  auto result = load({{"CRM_DATABASE_URL", "postgresql://crmd@127.0.0.1:5432/crmd"}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.values.sync_webhook_quiet, std::chrono::hours{6});
  EXPECT_EQ(result.values.sync_health_interval, milliseconds{15000});
}

// Tests (and the Prometheus e2e) turn health amber within seconds.
TEST(SettingsSyncHealth, AcceptsAQuietLimitDownToOneSecond) {
  EXPECT_EQ(load(with("CRM_SYNC_WEBHOOK_QUIET_MS", "1000")).values.sync_webhook_quiet,
            milliseconds{1000});
  EXPECT_EQ(load(with("CRM_SYNC_HEALTH_INTERVAL_MS", "250")).values.sync_health_interval,
            milliseconds{250});
}

TEST(SettingsSyncHealth, RefusesLimitsOutOfRange) {
  for (const char* quiet : {"999", "0", "604800001", "6h", ""})
    EXPECT_FALSE(load(with("CRM_SYNC_WEBHOOK_QUIET_MS", quiet)).ok()) << quiet;
  for (const char* interval : {"99", "3600001", "-1", "fast"})
    EXPECT_FALSE(load(with("CRM_SYNC_HEALTH_INTERVAL_MS", interval)).ok()) << interval;
}

}  // namespace
}  // namespace crmd::config
