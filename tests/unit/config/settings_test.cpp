#include "config/settings.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace crmd::config {
namespace {

std::map<std::string, std::string> minimal() {
  return {{"CRM_DATABASE_URL", "postgresql://crmd@127.0.0.1:5432/crmd"}};
}

TEST(Settings, DefaultsApplyWhenOnlyTheDatabaseIsGiven) {
  auto result = load(minimal());
  ASSERT_TRUE(result.ok()) << result.errors.front();
  EXPECT_EQ(result.values.http_address, "127.0.0.1");
  EXPECT_EQ(result.values.http_port, 8080);
  EXPECT_EQ(result.values.db_pool_size, 4);
  EXPECT_EQ(result.values.log_level, log::level::info);
}

TEST(Settings, DatabaseUrlIsRequired) {
  auto result = load({});
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].find("CRM_DATABASE_URL"), std::string::npos);
}

TEST(Settings, ParsesListenAddressIncludingIpv6AndEphemeralPort) {
  auto env = minimal();
  env["CRM_HTTP_LISTEN"] = "[::1]:0";
  auto result = load(env);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.values.http_address, "::1");
  EXPECT_EQ(result.values.http_port, 0);
}

TEST(Settings, ReportsOneLinePerBadValue) {
  auto env = minimal();
  env["CRM_HTTP_LISTEN"] = "localhost";
  env["CRM_DB_POOL_SIZE"] = "0";
  env["CRM_LOG_LEVEL"] = "loud";
  env["CRM_HTTP_READ_TIMEOUT_MS"] = "12abc";
  auto result = load(env);
  ASSERT_EQ(result.errors.size(), 4u);
  for (const auto& line : result.errors)
    EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(Settings, RejectsUnknownKeysButIgnoresOtherPrefixesAndTestTooling) {
  auto env = minimal();
  env["CRM_HTTP_LISTN"] = "127.0.0.1:1";
  env["CRM_TEST_DATABASE_URL"] = "postgresql://x@y/z";
  env["PATH"] = "/bin";
  auto result = load(env);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].find("CRM_HTTP_LISTN: unknown setting"), std::string::npos);
}

TEST(Settings, NeverEchoesTheDatabaseUrlInErrors) {
  auto result = load({{"CRM_DATABASE_URL", "secret-password-here"}});
  ASSERT_FALSE(result.ok());
  for (const auto& line : result.errors)
    EXPECT_EQ(line.find("secret-password-here"), std::string::npos) << line;
}

TEST(Settings, BackoffMinimumMustNotExceedMaximum) {
  auto env = minimal();
  env["CRM_RESTART_BACKOFF_MIN_MS"] = "5000";
  env["CRM_RESTART_BACKOFF_MAX_MS"] = "1000";
  EXPECT_FALSE(load(env).ok());
}

TEST(Settings, ExampleFileDocumentsEveryKey) {
  std::ifstream file(CRMD_SOURCE_DIR "/config/crmd.env.example");
  ASSERT_TRUE(file.good());
  std::stringstream text;
  text << file.rdbuf();
  std::map<std::string, std::string> from_example;
  std::istringstream lines(text.str());
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#')
      continue;
    auto eq = line.find('=');
    ASSERT_NE(eq, std::string::npos) << line;
    from_example[line.substr(0, eq)] = line.substr(eq + 1);
  }
  for (auto key : known_keys())
    EXPECT_TRUE(from_example.contains(std::string(key))) << key << " missing from example";
  auto result = load(from_example);
  EXPECT_TRUE(result.ok()) << "the example file itself must be valid";
}

}  // namespace
}  // namespace crmd::config

namespace crmd::config {
namespace {

TEST(Settings, WebhookKeysAreCommaSeparatedAndTrimmed) {
  std::map<std::string, std::string> env{
    {"CRM_DATABASE_URL", "postgresql://crmd@127.0.0.1:5432/crmd"},
    {"CRM_OPENPHONE_WEBHOOK_KEYS", "ZW11bGF0b3ItdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2Q=, b2xkLWtleS1vbGQta2V5LW9sZA=="}};
  auto result = load(env);
  ASSERT_TRUE(result.ok()) << result.errors.front();
  ASSERT_EQ(result.values.openphone_webhook_keys.size(), 2u);
  EXPECT_EQ(result.values.openphone_webhook_keys[1], "b2xkLWtleS1vbGQta2V5LW9sZA==");
}

TEST(Settings, BadWebhookKeyIsRejectedWithoutEchoingIt) {
  std::map<std::string, std::string> env{
    {"CRM_DATABASE_URL", "postgresql://crmd@127.0.0.1:5432/crmd"},
    {"CRM_OPENPHONE_WEBHOOK_KEYS", "not base64 at all!"}};
  auto result = load(env);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].find("not base64"), std::string::npos) << result.errors[0];
}

}  // namespace
}  // namespace crmd::config
