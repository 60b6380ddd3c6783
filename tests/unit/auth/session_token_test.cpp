#include "auth/session_token.hpp"

#include <gtest/gtest.h>

#include <set>

namespace crmd::auth {
namespace {

TEST(SessionToken, IsFortyThreeBase64UrlCharacters) {
  auto token = new_token();
  ASSERT_TRUE(token);
  EXPECT_EQ(token->size(), token_length);
  EXPECT_TRUE(is_well_formed_token(*token)) << *token;
}

TEST(SessionToken, NeverRepeats) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i)
    seen.insert(new_token().value());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(SessionToken, HashIsTheHexSha256OfTheToken) {
  EXPECT_EQ(token_hash_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SessionToken, Base64UrlMatchesRfc4648Vectors) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("\xfb\xff\xbf"), "-_-_");
}

TEST(SessionToken, RejectsTextThatCannotBeAToken) {
  auto token = new_token().value();
  EXPECT_FALSE(is_well_formed_token(token.substr(1)));
  EXPECT_FALSE(is_well_formed_token(token + "A"));
  EXPECT_FALSE(is_well_formed_token(std::string(42, 'A') + "="));
  EXPECT_FALSE(is_well_formed_token(std::string(42, 'A') + "+"));
  EXPECT_FALSE(is_well_formed_token(""));
}

}  // namespace
}  // namespace crmd::auth
