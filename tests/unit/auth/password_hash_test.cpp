#include "auth/password_hash.hpp"

#include <gtest/gtest.h>

namespace crmd::auth {
namespace {

// Cheap parameters keep the suite fast; the defaults are checked once below.
constexpr argon2_params quick{.time_cost = 1, .memory_kib = 64, .parallelism = 1};

TEST(PasswordHash, VerifiesTheRightPasswordOnly) {
  auto encoded = hash_password("correct horse battery", quick);
  ASSERT_TRUE(encoded);
  EXPECT_TRUE(verify_password("correct horse battery", *encoded));
  EXPECT_FALSE(verify_password("correct horse batterY", *encoded));
  EXPECT_FALSE(verify_password("", *encoded));
}

TEST(PasswordHash, SaltsEveryHash) {
  auto first = hash_password("same password twice", quick);
  auto second = hash_password("same password twice", quick);
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
}

TEST(PasswordHash, DefaultsAreArgon2idT3M64MiBP1) {
  auto encoded = hash_password("a production strength hash");
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded->rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << *encoded;
  EXPECT_TRUE(verify_password("a production strength hash", *encoded));
}

TEST(PasswordHash, DummyHashHasTheDefaultCostAndMatchesNothingTried) {
  EXPECT_EQ(dummy_hash().rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u);
  EXPECT_FALSE(verify_password("", dummy_hash()));
  EXPECT_FALSE(verify_password("password", dummy_hash()));
}

TEST(PasswordHash, RejectsWhatIsNotAnArgon2idHash) {
  auto argon2i = std::string("$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$") + std::string(43, 'A');
  for (const std::string& encoded : {std::string(), std::string("plain text"), argon2i,
                                     std::string("$argon2id$v=19$m=64,t=1,p=1$garbage")})
    EXPECT_FALSE(verify_password("anything", encoded)) << encoded;
}

}  // namespace
}  // namespace crmd::auth
