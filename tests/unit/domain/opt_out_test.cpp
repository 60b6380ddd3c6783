#include "domain/campaign/opt_out.hpp"

#include <gtest/gtest.h>

namespace crmd::domain::campaign {
namespace {

TEST(OptOut, EveryCarrierOptOutWordInAnyCaseAndSpacing) {
  for (auto body : {"STOP", "stop", "Stop", " STOP \n", "StopAll", "UNSUBSCRIBE", "cancel", "End",
                    "quit", "REVOKE", "optout", "\tSTOP.", "Stop!"})
    EXPECT_EQ(classify_keyword(body).kind, keyword_kind::opt_out) << body;
  EXPECT_EQ(classify_keyword(" stopall ").keyword, "STOPALL");
}

TEST(OptOut, StartAndUnstopOptBackIn) {
  EXPECT_EQ(classify_keyword("START").kind, keyword_kind::opt_in);
  EXPECT_EQ(classify_keyword(" unstop ").kind, keyword_kind::opt_in);
}

TEST(OptOut, HelpIsHelp) {
  EXPECT_EQ(classify_keyword("help").kind, keyword_kind::help);
  EXPECT_EQ(classify_keyword("help").keyword, "HELP");
}

TEST(OptOut, AKeywordInsideASentenceIsNotOne) {
  for (auto body : {"stop by tomorrow?", "Please stop", "STOP IT", "stopp", "sto p", "", "   ",
                    "can you help me", "OPT OUT", "S T O P", "STOP?"})
    EXPECT_EQ(classify_keyword(body).kind, keyword_kind::none) << body;
  EXPECT_TRUE(classify_keyword("stop by tomorrow?").keyword.empty());
}

}  // namespace
}  // namespace crmd::domain::campaign
