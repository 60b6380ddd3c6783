#include "domain/campaign/reply_rules.hpp"

#include <gtest/gtest.h>

namespace crmd::domain::campaign {
namespace {

TEST(ReplyRules, OptOutWordsAreNegativeWithTheKeyword) {
  auto r = classify_reply(" Stop ");
  EXPECT_EQ(r.verdict, reply_verdict::negative);
  EXPECT_EQ(r.reason, "opt-out keyword STOP");
  EXPECT_EQ(classify_reply("unsubscribe").verdict, reply_verdict::negative);
}

TEST(ReplyRules, ClearYesIsPositive) {
  for (auto body : {"Yes", "yeah!", "Sure.", "OK", "ok!!", "Interested", "I'm interested",
                    "call me", "Yes please", "Sounds good", " 👍 "})
    EXPECT_EQ(classify_reply(body).verdict, reply_verdict::positive) << body;
  EXPECT_EQ(classify_reply("Yes!!").reason, "reply is 'yes'");
}

TEST(ReplyRules, ClearNoIsNegative) {
  for (auto body : {"No", "no thanks", "No, thank you.", "NOT INTERESTED", "nope"})
    EXPECT_EQ(classify_reply(body).verdict, reply_verdict::negative) << body;
  auto r = classify_reply("Sorry, you have the wrong number");
  EXPECT_EQ(r.verdict, reply_verdict::negative);
  EXPECT_EQ(r.reason, "reply contains 'wrong number'");
  EXPECT_EQ(classify_reply("Please don’t text me again").verdict, reply_verdict::negative);
}

TEST(ReplyRules, AnythingElseIsLeftUndecided) {
  for (auto body : {"stop by tomorrow?", "How much would it cost?", "yes but not this week",
                    "Don't call me", "call me maybe next year, no rush", "", "ok how much",
                    "I dont texture my walls", "Sounds good 👍"}) {
    auto r = classify_reply(body);
    EXPECT_EQ(r.verdict, reply_verdict::undecided) << body;
    EXPECT_TRUE(r.reason.empty()) << body;
  }
}

}  // namespace
}  // namespace crmd::domain::campaign
