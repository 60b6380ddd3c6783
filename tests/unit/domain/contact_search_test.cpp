#include "domain/contact_search.hpp"

#include <gtest/gtest.h>

#include <string>

using crmd::domain::make_contact_query;

TEST(ContactSearch, TrimsAndEscapesLikeWildcards) {
  auto query = make_contact_query("  50%_off\\ ");
  ASSERT_TRUE(query);
  EXPECT_EQ(query->pattern, "50\\%\\_off\\\\");
}

TEST(ContactSearch, ThreeOrMoreDigitsMakeANumberSearch) {
  EXPECT_EQ(make_contact_query("(508) 555-01")->digits, "50855501");
  EXPECT_EQ(make_contact_query("Apt 12")->digits, "");
  EXPECT_EQ(make_contact_query("maria")->digits, "");
}

TEST(ContactSearch, EmptyTextMatchesEveryone) {
  auto query = make_contact_query("   ");
  ASSERT_TRUE(query);
  EXPECT_EQ(query->pattern, "");
}

TEST(ContactSearch, RefusesLongTextAndControlCharacters) {
  EXPECT_FALSE(make_contact_query(std::string(101, 'a')));
  EXPECT_TRUE(make_contact_query(std::string(100, 'a')));
  EXPECT_FALSE(make_contact_query("a\nb"));
}
