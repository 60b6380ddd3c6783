#include "tools/openphone-emulator/scenario.hpp"
#include "tools/openphone-emulator/scenario_file.hpp"

#include "tests/unit/tools/emulator_epoch.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace crmd::openphone_emulator {
namespace {

using nlohmann::json;

using testing::may_first;

plan scenario(const std::string& name, std::size_t events = 200, int repeat = 3) {
  return make_scenario(make_world(21),
                       {.name = name, .events = events, .repeat = repeat, .start_ms = may_first});
}

std::set<std::string> activities_of(const plan& p) {
  std::set<std::string> ids;
  for (const auto& e : p.events)
    if (!e.activity_id.empty())
      ids.insert(e.activity_id);
  return ids;
}

TEST(EmulatorScenario, BurstSendsEveryEventOnceAndCountsActivities) {
  auto p = scenario("burst");
  ASSERT_EQ(p.waves.size(), 1u);
  EXPECT_EQ(p.deliveries(), 200u);
  auto expected = expected_outcome(p);
  EXPECT_EQ(expected["counts"]["event_ids"], 200);
  EXPECT_EQ(expected["counts"]["stored_event_ids"], 200);
  EXPECT_EQ(expected["counts"]["rejected_event_ids"], 0);
  EXPECT_EQ(expected["activity_ids"].get<std::set<std::string>>(), activities_of(p));
  EXPECT_EQ(expected["events"].size(), 200u);
  EXPECT_GT(expected["counts"]["contact_ids"].get<int>(), 0);
}

TEST(EmulatorScenario, DuplicatesSendCopiesSideBySide) {
  auto p = scenario("duplicates", 50, 4);
  EXPECT_EQ(p.deliveries(), 200u);
  const auto& sequences = p.waves.at(0).sequences;
  for (std::size_t i = 0; i < sequences.size(); ++i)
    EXPECT_EQ(sequences[i].at(0).event, i / 4);
  EXPECT_EQ(expected_outcome(p)["counts"]["event_ids"], 50);
}

TEST(EmulatorScenario, RetriesExpectADuplicateAfterTheAck) {
  auto p = scenario("retries", 30);
  for (const auto& s : p.waves.at(0).sequences) {
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].event, s[1].event);
    EXPECT_EQ(s[0].expect.what, expectation::kind::ack);
    EXPECT_EQ(s[1].expect.what, expectation::kind::duplicate);
  }
}

TEST(EmulatorScenario, OutOfOrderDeliversFollowUpsFirstAndRingingLast) {
  auto p = scenario("out-of-order", 400);
  int calls = 0, pairs = 0;
  for (const auto& s : p.waves.at(0).sequences) {
    std::vector<std::string> types;
    for (const auto& d : s)
      types.push_back(p.events[d.event].type);
    auto at = [&types](const std::string& type) {
      return std::find(types.begin(), types.end(), type) - types.begin();
    };
    auto completed = at("call.completed");
    if (completed < static_cast<long>(types.size())) {
      ++calls;
      for (std::string follow_up :
           {"call.recording.completed", "call.summary.completed", "call.transcript.completed"}) {
        if (at(follow_up) < static_cast<long>(types.size())) {
          EXPECT_LT(at(follow_up), completed);
        }
      }
      if (at("call.ringing") < static_cast<long>(types.size())) {
        EXPECT_GT(at("call.ringing"), completed);
      }
    }
    if (types.size() == 2 && types[0] == "message.delivered") {
      ++pairs;
      auto first = json::parse(p.events[s[0].event].body)["data"]["object"]["status"];
      auto second = json::parse(p.events[s[1].event].body)["data"]["object"]["status"];
      EXPECT_EQ(first, "delivered");
      EXPECT_EQ(second, "sent");
    }
  }
  EXPECT_GT(calls, 10);
  EXPECT_GT(pairs, 5);
  for (const auto& e : p.events)
    EXPECT_FALSE(e.type.starts_with("contact."));
}

TEST(EmulatorScenario, BadSignaturesAndStaleExpect401AndStoreNothing) {
  for (std::string name : {"bad-signatures", "stale"}) {
    auto p = scenario(name, 60);
    std::set<signing> modes;
    for (const auto& s : p.waves.at(0).sequences) {
      EXPECT_EQ(s.at(0).expect.status, 401u);
      modes.insert(s.at(0).sign);
    }
    EXPECT_EQ(modes.size(), name == "stale" ? 1u : 3u);
    auto expected = expected_outcome(p);
    EXPECT_EQ(expected["counts"]["stored_event_ids"], 0);
    EXPECT_EQ(expected["counts"]["rejected_event_ids"], 60);
    EXPECT_EQ(expected["counts"]["activity_ids"], 0);
  }
}

TEST(EmulatorScenario, UnknownNameIsRefused) {
  EXPECT_THROW(scenario("nonsense"), std::invalid_argument);
}

const json scripted = json::parse(R"({
  "api_version": "v4",
  "events": [
    {"type": "call.summary.completed", "activity": "call-1", "order": 1},
    {"type": "call.completed", "activity": "call-1", "outcome": "missed", "order": 2,
     "fields": {"status": "no-answer"}, "remove": ["callRoute"]},
    {"type": "message.received", "version": "v3", "id": "EVfixed", "repeat": 2, "order": 2},
    {"type": "message.received", "version": "v3", "id": "EVfixed", "order": 3,
     "expect": "duplicate"},
    {"type": "contact.updated", "contact": "ct", "signature": "wrong-key", "order": 4},
    {"raw": "not json", "id": "EVraw", "expect": 400, "order": 5}
  ]})");

TEST(EmulatorScenarioFile, LabelsShareActivitiesAndOrdersMakeWaves) {
  auto p = scenario_from_json(scripted, make_world(3), may_first);
  ASSERT_EQ(p.waves.size(), 5u);
  EXPECT_EQ(p.waves[1].sequences.size(), 2u);
  EXPECT_EQ(p.waves[1].sequences[1].size(), 2u);  // repeat: one after the other
  EXPECT_EQ(p.events[0].activity_id, p.events[1].activity_id);
  auto completed = json::parse(p.events[1].body);
  EXPECT_EQ(completed["apiVersion"], "v4");
  EXPECT_EQ(completed["data"]["object"]["status"], "no-answer");
  EXPECT_TRUE(completed["data"]["object"]["answeredAt"].is_null());
  EXPECT_FALSE(completed["data"]["object"].contains("callRoute"));
  // Two entries for one event id produce the same bytes.
  EXPECT_EQ(p.events[2].id, "EVfixed");
  EXPECT_EQ(p.events[2].body, p.events[3].body);
  EXPECT_EQ(p.waves[2].sequences[0][0].expect.what, expectation::kind::duplicate);
  EXPECT_EQ(p.waves[3].sequences[0][0].expect.status, 401u);
  EXPECT_EQ(p.events[5].body, "not json");

  auto expected = expected_outcome(p);
  EXPECT_EQ(expected["counts"]["activity_ids"], 2);
  EXPECT_EQ(expected["counts"]["contact_ids"], 0);
  EXPECT_EQ(expected["rejected_event_ids"].size(), 2u);  // the contact and the 400
}

TEST(EmulatorScenarioFile, ErrorsNameTheEntry) {
  auto w = make_world(3);
  auto failure = [&w](const std::string& text) {
    try {
      scenario_from_json(json::parse(text), w, may_first);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(failure(R"({"events":[{"type":"call.completed","colour":"red"}]})"),
            "events[0]: unknown key colour");
  EXPECT_EQ(
      failure(
          R"({"events":[{"type":"call.completed"},{"type":"message.received","activity":"#0"}]})"),
      "events[1]: label #0 already names a different kind of activity");
  EXPECT_EQ(failure(R"({"events":[{"type":"call.completed","signature":"forged"}]})"),
            "events[0]: signature must be valid, wrong-key, garbled, missing or stale");
  EXPECT_EQ(failure(R"({"events":[]})"), "events must be a non-empty array");
}

}  // namespace
}  // namespace crmd::openphone_emulator
