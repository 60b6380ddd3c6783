#include "config/settings.hpp"
#include "tests/unit/config/settings_env.hpp"

#include <gtest/gtest.h>

namespace crmd::config {
namespace {

using testing::with;

TEST(SettingsOpenPhoneApi, DefaultsNeedNoKeyAndDownloadNoMedia) {
  auto result = load({{"CRM_DATABASE_URL", "postgresql://crmd@127.0.0.1:5432/crmd"}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.values.openphone_api_url, "https://api.openphone.com");
  EXPECT_TRUE(result.values.openphone_api_key.empty());
  EXPECT_EQ(result.values.openphone_rate_limit, 10);
  EXPECT_EQ(result.values.openphone_timeout, std::chrono::milliseconds(15000));
  EXPECT_EQ(result.values.openphone_max_attempts, 8);
  EXPECT_TRUE(result.values.media_dir.empty());
}

TEST(SettingsOpenPhoneApi, AcceptsHttpAndHttpsBaseUrlsWithoutTrailingSlash) {
  auto https = load(with("CRM_OPENPHONE_API_URL", "https://api.quo.com/"));
  ASSERT_TRUE(https.ok());
  EXPECT_EQ(https.values.openphone_api_url, "https://api.quo.com");
  auto emulator = load(with("CRM_OPENPHONE_API_URL", "http://127.0.0.1:18080/prefix"));
  ASSERT_TRUE(emulator.ok());
  EXPECT_EQ(emulator.values.openphone_api_url, "http://127.0.0.1:18080/prefix");
}

TEST(SettingsOpenPhoneApi, RejectsUrlsThatAreNotPlainBaseUrls) {
  for (auto url : {"api.openphone.com", "ftp://api.openphone.com", "https://", "https:///v1",
                   "https://api.openphone.com/?x=1", "https://user:pw@api.openphone.com",
                   "https://api.openphone.com/a b"})
    EXPECT_FALSE(load(with("CRM_OPENPHONE_API_URL", url)).ok()) << url;
}

TEST(SettingsOpenPhoneApi, KeyIsVisibleAsciiAndNeverEchoed) {
  auto good = load(with("CRM_OPENPHONE_API_KEY", "Abc123-secret_KEY"));
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.values.openphone_api_key, "Abc123-secret_KEY");
  for (auto key : {"has space-secret", "bearer\r\nX-Injected: 1", "tab\tsecret"}) {
    auto bad = load(with("CRM_OPENPHONE_API_KEY", key));
    ASSERT_EQ(bad.errors.size(), 1u) << key;
    EXPECT_EQ(bad.errors[0].find("secret"), std::string::npos) << bad.errors[0];
    EXPECT_NE(bad.errors[0].find("<redacted>"), std::string::npos) << bad.errors[0];
  }
}

TEST(SettingsOpenPhoneApi, RateLimitTakesDecimalsWithinBounds) {
  auto decimal = load(with("CRM_OPENPHONE_RATE_LIMIT", "8.5"));
  ASSERT_TRUE(decimal.ok());
  EXPECT_EQ(decimal.values.openphone_rate_limit, 8.5);
  for (auto rate : {"0", "0.05", "100001", "ten", "10rps", "-1", "nan", "inf"})
    EXPECT_FALSE(load(with("CRM_OPENPHONE_RATE_LIMIT", rate)).ok()) << rate;
}

TEST(SettingsOpenPhoneApi, TimeoutAndAttemptsFollowTheUsualBounds) {
  EXPECT_TRUE(load(with("CRM_OPENPHONE_TIMEOUT_MS", "2500")).ok());
  EXPECT_FALSE(load(with("CRM_OPENPHONE_TIMEOUT_MS", "50")).ok());
  EXPECT_TRUE(load(with("CRM_OPENPHONE_MAX_ATTEMPTS", "1")).ok());
  EXPECT_FALSE(load(with("CRM_OPENPHONE_MAX_ATTEMPTS", "0")).ok());
}

TEST(SettingsOpenPhoneApi, MediaDirIsAnyPathWithoutControlCharacters) {
  auto dir = load(with("CRM_MEDIA_DIR", "var/media"));
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(dir.values.media_dir, "var/media");
  EXPECT_FALSE(load(with("CRM_MEDIA_DIR", "var/\nmedia")).ok());
}

}  // namespace
}  // namespace crmd::config
