#include "auth/password_policy.hpp"

#include <gtest/gtest.h>

namespace crmd::auth {
namespace {

TEST(PasswordPolicy, NeedsTwelveCharactersCountedAsUtf8) {
  EXPECT_TRUE(password_problem("elevenchars"));
  EXPECT_FALSE(password_problem("twelve chars"));
  // Eleven characters in 22 bytes are still too few; twelve are enough.
  EXPECT_TRUE(password_problem("ééééééééééé"));
  EXPECT_FALSE(password_problem("éééééééééééé"));
}

TEST(PasswordPolicy, RefusesControlCharactersAndHugeInput) {
  EXPECT_TRUE(password_problem("twelve chars\n"));
  EXPECT_TRUE(password_problem(std::string("twelve\0chars", 12)));
  EXPECT_TRUE(password_problem(std::string(1025, 'x')));
  EXPECT_FALSE(password_problem(std::string(1024, 'x')));
}

}  // namespace
}  // namespace crmd::auth
