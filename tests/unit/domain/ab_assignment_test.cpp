#include "domain/campaign/ab_assignment.hpp"

#include <gtest/gtest.h>

namespace crmd::domain::campaign {
namespace {

constexpr auto ignore = existing_contact_rule::ignore;

double share_of_a(std::int64_t campaign, unsigned percent_a) {
  int a = 0;
  constexpr int contacts = 100'000;
  for (std::int64_t contact = 1; contact <= contacts; ++contact)
    a += assign_variant(campaign, contact, percent_a, false, ignore) == template_variant::a;
  return 100.0 * a / contacts;
}

TEST(AbAssignment, SplitHoldsWithinOnePercentOver100000Contacts) {
  EXPECT_NEAR(share_of_a(1, 50), 50.0, 1.0);
  EXPECT_NEAR(share_of_a(2, 70), 70.0, 1.0);
  EXPECT_NEAR(share_of_a(987654321, 30), 30.0, 1.0);
}

TEST(AbAssignment, AllOrNothingSplitsAreExact) {
  EXPECT_EQ(share_of_a(3, 100), 100.0);
  EXPECT_EQ(share_of_a(3, 0), 0.0);
  EXPECT_EQ(share_of_a(3, 250), 100.0);  // clamped
}

TEST(AbAssignment, HashIsFixedAcrossPlatformsAndReleases) {
  // Pinned values: changing the hash would move live campaign members between variants.
  // Computed by an independent Python implementation of the same definition.
  EXPECT_EQ(ab_hash(0, 0), 0xA706DD2F4D197E6FULL);
  EXPECT_EQ(ab_hash(42, 7), 0x16062D6C1339E500ULL);
  EXPECT_EQ(ab_hash(-1, 123456789), 0xF101957CA4197C3FULL);
  EXPECT_NE(ab_hash(1, 2), ab_hash(2, 1));
}

TEST(AbAssignment, SameInputsAlwaysGiveTheSameVariant) {
  for (std::int64_t contact = 1; contact <= 1000; ++contact)
    EXPECT_EQ(assign_variant(17, contact, 50, false, ignore),
              assign_variant(17, contact, 50, false, ignore));
}

TEST(AbAssignment, DifferentCampaignsShuffleDifferently) {
  int same = 0;
  for (std::int64_t contact = 1; contact <= 10'000; ++contact)
    same += assign_variant(1, contact, 50, false, ignore) ==
            assign_variant(2, contact, 50, false, ignore);
  EXPECT_NEAR(same, 5000, 300);
}

TEST(AbAssignment, ExistingCustomerGetsTheThirdTemplateOnlyWhenAdaptingTheScript) {
  EXPECT_EQ(assign_variant(1, 5, 50, true, existing_contact_rule::adapt_script),
            template_variant::existing_customer);
  EXPECT_NE(assign_variant(1, 5, 50, true, existing_contact_rule::flag_for_review),
            template_variant::existing_customer);
  EXPECT_NE(assign_variant(1, 5, 50, true, ignore), template_variant::existing_customer);
  EXPECT_NE(assign_variant(1, 5, 50, false, existing_contact_rule::adapt_script),
            template_variant::existing_customer);
}

TEST(AbAssignment, ParsesTheStoredRule) {
  EXPECT_EQ(parse_existing_contact_rule("adapt_script"), existing_contact_rule::adapt_script);
  EXPECT_EQ(parse_existing_contact_rule("flag_for_review"), existing_contact_rule::flag_for_review);
  EXPECT_EQ(parse_existing_contact_rule("ignore"), ignore);
  EXPECT_FALSE(parse_existing_contact_rule("Ignore").has_value());
}

}  // namespace
}  // namespace crmd::domain::campaign
