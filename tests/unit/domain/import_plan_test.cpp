#include "domain/import_plan.hpp"

#include <gtest/gtest.h>

namespace crmd::domain {
namespace {

using nlohmann::json;

TEST(ImportPlan, StagesRunInTheRoadmapOrderAndEndInDone) {
  std::vector<std::string> names;
  for (auto stage = import_stage::phone_numbers; stage != import_stage::done;
       stage = next_stage(stage))
    names.emplace_back(stage_name(stage));
  EXPECT_EQ(names, (std::vector<std::string>{"phone_numbers", "users", "conversations", "messages",
                                             "calls", "call_details", "message_media",
                                             "contact_matching",
                                             "conversation_metadata", "verification"}));
  EXPECT_EQ(next_stage(import_stage::done), import_stage::done);
  for (const auto& name : names)
    EXPECT_EQ(stage_name(*stage_from_name(name)), name);
  EXPECT_FALSE(stage_from_name("summaries").has_value());
  EXPECT_TRUE(is_worklist_stage(import_stage::calls));
  EXPECT_FALSE(is_worklist_stage(import_stage::conversations));
}

TEST(ImportPlan, WorklistCursorSurvivesItsJson) {
  worklist_cursor cursor;
  cursor.next = 41;
  cursor.active[7] = std::nullopt;
  cursor.active[40] = "token-2";
  auto back = worklist_from_json(json::parse(to_json(cursor).dump()));
  EXPECT_EQ(back.next, 41);
  ASSERT_EQ(back.active.size(), 2u);
  EXPECT_FALSE(back.active.at(7).has_value());
  EXPECT_EQ(back.active.at(40), "token-2");
}

TEST(ImportPlan, UnreadableCursorsRestartTheStage) {
  EXPECT_EQ(worklist_from_json(json("x")).next, 0);
  auto odd = worklist_from_json(json::parse(R"({"next":"9","active":{"x":"t","5":1}})"));
  EXPECT_EQ(odd.next, 0);
  ASSERT_EQ(odd.active.size(), 1u);
  EXPECT_FALSE(odd.active.at(5).has_value());
}

TEST(ImportPlan, ProgressKeepsCountsAndCapsTheRejectionList) {
  import_progress progress;
  progress.resources["messages"] = {120, 120, 0, 2};
  progress.requests = 9;
  for (int i = 0; i < 60; ++i)
    progress.reject("calls", "AC" + std::to_string(i), "bad");
  auto back = progress_from_json(json::parse(to_json(progress).dump()));
  EXPECT_EQ(back.resources["messages"].fetched, 120);
  EXPECT_EQ(back.resources["messages"].pages, 2);
  EXPECT_EQ(back.resources["calls"].rejected, 60);
  EXPECT_EQ(back.rejections.size(), max_listed_rejections);
  EXPECT_EQ(back.requests, 9);
}

TEST(ImportPlan, VerificationFlagsMissingRowsAndRejections) {
  import_progress progress;
  progress.resources["messages"].fetched = 100;
  progress.resources["calls"].fetched = 10;
  auto report = verification_report(progress, json{{"messages", 100}, {"calls", 9}});
  EXPECT_EQ(report["resources"]["messages"]["missing"], 0);
  EXPECT_EQ(report["resources"]["calls"]["missing"], 1);
  EXPECT_FALSE(report["complete"].get<bool>());

  auto more_in_database = verification_report(progress, json{{"messages", 150}, {"calls", 10}});
  EXPECT_TRUE(more_in_database["complete"].get<bool>());

  progress.reject("messages", "AC1", "not E.164");
  EXPECT_FALSE(verification_report(progress, json{{"messages", 150}, {"calls", 10}})["complete"]
                 .get<bool>());
}

TEST(ImportPlan, ProgressLineShowsStageCountsRateAndEta) {
  import_progress progress;
  progress.resources["messages"].fetched = 12345;
  progress.requests = 100;
  auto line = progress_line(import_stage::messages, progress, 10.0, 0.5, 192.0, 200);
  EXPECT_NE(line.find("[4/10 messages]"), std::string::npos) << line;
  EXPECT_NE(line.find("50%"), std::string::npos) << line;
  EXPECT_NE(line.find("messages 12,345"), std::string::npos) << line;
  EXPECT_NE(line.find("10.0 req/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 3m12s"), std::string::npos) << line;
  EXPECT_EQ(progress_line(import_stage::messages, progress, 10.0, 0.5, 192.0, 20).size(), 20u);
}

TEST(ImportPlan, SinceAcceptsDatesAndUtcTimesOnly) {
  EXPECT_EQ(normalize_since("2024-01-31"), "2024-01-31T00:00:00Z");
  EXPECT_EQ(normalize_since("2024-02-29"), "2024-02-29T00:00:00Z");
  EXPECT_EQ(normalize_since("2024-01-31T12:34:56Z"), "2024-01-31T12:34:56Z");
  EXPECT_EQ(normalize_since("2024-01-31T12:34:56.120Z"), "2024-01-31T12:34:56.120Z");
  for (const char* bad : {"", "2023-02-29", "2024-13-01", "2024-1-31", "31/01/2024",
                          "2024-01-31T25:00:00Z", "2024-01-31T12:34:56+01:00",
                          "2024-01-31T12:34:56.Z", "2024-01-31 12:34:56Z", "1969-12-31"})
    EXPECT_FALSE(normalize_since(bad).has_value()) << bad;
}

}  // namespace
}  // namespace crmd::domain
