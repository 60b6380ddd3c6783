#include "auth/session_cookie.hpp"

#include <gtest/gtest.h>

namespace crmd::auth {
namespace {

TEST(SessionCookie, SetsHttpOnlyStrictRootCookie) {
  EXPECT_EQ(session_set_cookie("tok", false, std::chrono::seconds(2592000)),
            "crm_session=tok; Path=/; Max-Age=2592000; HttpOnly; SameSite=Strict");
  EXPECT_EQ(session_set_cookie("tok", true, std::chrono::seconds(60)),
            "crm_session=tok; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure");
}

TEST(SessionCookie, ClearingExpiresItAtOnce) {
  EXPECT_EQ(session_clear_cookie(false),
            "crm_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
  EXPECT_NE(session_clear_cookie(true).find("; Secure"), std::string::npos);
}

TEST(SessionCookie, FindsTheNamedCookieAmongOthers) {
  EXPECT_EQ(cookie_value("crm_session=abc", "crm_session"), "abc");
  EXPECT_EQ(cookie_value("theme=dark; crm_session=abc; lang=en", "crm_session"), "abc");
  EXPECT_EQ(cookie_value("theme=dark;crm_session=abc", "crm_session"), "abc");
  EXPECT_EQ(cookie_value("crm_session=\"abc\"", "crm_session"), "abc");
  EXPECT_EQ(cookie_value("crm_session=first; crm_session=second", "crm_session"), "first");
}

TEST(SessionCookie, DoesNotConfuseSimilarNames) {
  EXPECT_FALSE(cookie_value("xcrm_session=abc; crm_session_old=def", "crm_session"));
  EXPECT_FALSE(cookie_value("", "crm_session"));
  EXPECT_FALSE(cookie_value("crm_session", "crm_session"));
}

}  // namespace
}  // namespace crmd::auth
