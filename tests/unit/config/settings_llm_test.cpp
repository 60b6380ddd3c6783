#include "config/settings.hpp"
#include "tests/unit/config/settings_env.hpp"

#include <gtest/gtest.h>

namespace crmd::config {
namespace {

using testing::with;

TEST(SettingsLlm, DefaultsLeaveTheModelUnconfigured) {
  auto result = load({{"CRM_DATABASE_URL", "postgresql://crmd@127.0.0.1:5432/crmd"}});
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.values.llm_api_url.empty());
  EXPECT_TRUE(result.values.llm_api_key.empty());
  EXPECT_EQ(result.values.llm_model, "gpt-4o-mini");
  EXPECT_EQ(result.values.llm_timeout, std::chrono::milliseconds(10000));
}

TEST(SettingsLlm, UrlIsEmptyOrAPlainBaseUrl) {
  auto set = load(with("CRM_LLM_API_URL", "https://api.openai.com/"));
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set.values.llm_api_url, "https://api.openai.com");
  auto local = load(with("CRM_LLM_API_URL", "http://127.0.0.1:11434"));
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local.values.llm_api_url, "http://127.0.0.1:11434");
  EXPECT_TRUE(load(with("CRM_LLM_API_URL", "")).ok());
  for (auto url : {"api.openai.com", "ftp://x", "https://", "https://a/?q=1", "https://u:p@a"}) {
    auto bad = load(with("CRM_LLM_API_URL", url));
    ASSERT_EQ(bad.errors.size(), 1u) << url;
    EXPECT_NE(bad.errors[0].find("api.openai.com"), std::string::npos) << bad.errors[0];
  }
}

TEST(SettingsLlm, KeyIsVisibleAsciiAndNeverEchoed) {
  auto good = load(with("CRM_LLM_API_KEY", "sk-proj-Abc123"));
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.values.llm_api_key, "sk-proj-Abc123");
  auto bad = load(with("CRM_LLM_API_KEY", "sk-secret\r\nX-Injected: 1"));
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].find("sk-secret"), std::string::npos) << bad.errors[0];
  EXPECT_NE(bad.errors[0].find("<redacted>"), std::string::npos) << bad.errors[0];
}

TEST(SettingsLlm, ModelAndTimeout) {
  auto model = load(with("CRM_LLM_MODEL", "llama3.1:8b"));
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model.values.llm_model, "llama3.1:8b");
  EXPECT_FALSE(load(with("CRM_LLM_MODEL", "")).ok());
  EXPECT_FALSE(load(with("CRM_LLM_MODEL", "gpt 4")).ok());
  auto timeout = load(with("CRM_LLM_TIMEOUT_MS", "2500"));
  ASSERT_TRUE(timeout.ok());
  EXPECT_EQ(timeout.values.llm_timeout, std::chrono::milliseconds(2500));
  EXPECT_FALSE(load(with("CRM_LLM_TIMEOUT_MS", "50")).ok());
  EXPECT_FALSE(load(with("CRM_LLM_TIMEOUT_MS", "ten")).ok());
}

}  // namespace
}  // namespace crmd::config
