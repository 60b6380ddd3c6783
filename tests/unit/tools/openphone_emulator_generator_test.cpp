#include "tools/openphone-emulator/generator.hpp"

#include "tests/unit/tools/emulator_epoch.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace crmd::openphone_emulator {
namespace {

using nlohmann::json;

using testing::may_first;

std::vector<generated_event> events_for(std::uint64_t seed, std::size_t count,
                                        generation_options options = {}) {
  return generate_events(make_world(seed), options, count, may_first);
}

TEST(EmulatorWorld, HasTwoOrThreeNumbersAndDistinctContacts) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    auto w = make_world(seed);
    EXPECT_GE(w.numbers.size(), 2u);
    EXPECT_LE(w.numbers.size(), 3u);
    std::set<std::string> numbers;
    for (const auto& n : w.numbers) {
      EXPECT_EQ(n.id.substr(0, 2), "PN");
      numbers.insert(n.e164);
    }
    for (const auto& c : w.contacts) {
      EXPECT_EQ(c.e164.substr(0, 2), "+1");
      EXPECT_EQ(c.e164.size(), 12u);
      numbers.insert(c.e164);
    }
    EXPECT_EQ(numbers.size(), w.numbers.size() + w.contacts.size());
  }
}

TEST(EmulatorGenerator, SameSeedSameBytes) {
  auto first = events_for(42, 300);
  auto second = events_for(42, 300);
  ASSERT_EQ(first.size(), 300u);
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t i = 0; i < first.size(); ++i)
    EXPECT_EQ(first[i].body, second[i].body);
}

TEST(EmulatorGenerator, DifferentSeedsShareNoIds) {
  std::set<std::string> ids;
  for (const auto& e : events_for(1, 200))
    ids.insert(e.id);
  for (const auto& e : events_for(2, 200))
    EXPECT_FALSE(ids.contains(e.id));
}

TEST(EmulatorGenerator, OtherOptionsMintOtherEventIds) {
  // One id must always name one event: with follow-ups added, position n is another event.
  std::set<std::string> ids;
  for (const auto& e : events_for(1, 200))
    ids.insert(e.id);
  for (const auto& e : events_for(1, 200, {.full_calls = true, .message_pairs = true}))
    EXPECT_FALSE(ids.contains(e.id));
}

TEST(EmulatorGenerator, StoriesAreIndependentOfEachOther) {
  // Load workers take story indices concurrently: story n must not depend on stories before it.
  auto w = make_world(9);
  auto direct = make_story(w, {}, 37, may_first);
  for (std::uint64_t i = 0; i < 37; ++i)
    make_story(w, {}, i, may_first);
  auto again = make_story(w, {}, 37, may_first);
  ASSERT_EQ(direct.size(), again.size());
  for (std::size_t i = 0; i < direct.size(); ++i)
    EXPECT_EQ(direct[i].body, again[i].body);
}

TEST(EmulatorGenerator, EventIdsAreUniqueAndActivitiesShared) {
  auto events = events_for(3, 3000);
  std::set<std::string> ids;
  std::map<std::string, int> per_activity;
  for (const auto& e : events) {
    EXPECT_TRUE(ids.insert(e.id).second) << e.id;
    EXPECT_EQ(e.id.size(), 34u);
    EXPECT_EQ(e.id.substr(0, 2), "EV");
    if (!e.activity_id.empty()) {
      EXPECT_EQ(e.activity_id.substr(0, 2), "AC");
      ++per_activity[e.activity_id];
    } else {
      EXPECT_EQ(e.contact_id.substr(0, 2), "CT");
    }
  }
  // Calls bring several events for one activity.
  auto several = std::count_if(per_activity.begin(), per_activity.end(),
                               [](const auto& entry) { return entry.second > 1; });
  EXPECT_GT(several, 0);
  EXPECT_LT(per_activity.size(), events.size());
}

TEST(EmulatorGenerator, CoversEveryTypeDialectAndVariant) {
  std::set<std::string> seen;
  bool v3_group = false, v4_group = false, mms = false, voicemail = false, forwarded = false,
       missed = false;
  for (const auto& e : events_for(11, 3000)) {
    auto body = json::parse(e.body);
    const auto& object = body["data"]["object"];
    seen.insert(e.type + "/" + std::string(to_string(e.version)));
    if (e.type.starts_with("message.")) {
      v3_group |= object["to"].is_string() &&
                  object["to"].get<std::string>().find(',') != std::string::npos;
      v4_group |= object["to"].is_array() && object["to"].size() > 1;
      mms |= object.contains("media") && !object["media"].empty();
    }
    if (e.type == "call.completed") {
      voicemail |= object.contains("voicemail") && object["voicemail"].is_object();
      forwarded |= object.contains("forwardedTo") && object["forwardedTo"].is_string();
      missed |= object["answeredAt"].is_null();
    }
  }
  for (std::string type :
       {"message.received", "message.delivered", "call.ringing", "call.completed",
        "call.recording.completed", "call.summary.completed", "call.transcript.completed"})
    for (std::string version : {"v3", "v4"})
      EXPECT_TRUE(seen.contains(type + "/" + version)) << type << " " << version;
  EXPECT_TRUE(seen.contains("contact.updated/v3"));
  EXPECT_TRUE(seen.contains("contact.deleted/v3"));
  EXPECT_TRUE(v3_group);
  EXPECT_TRUE(v4_group);
  EXPECT_TRUE(mms);
  EXPECT_TRUE(voicemail);
  EXPECT_TRUE(forwarded);
  EXPECT_TRUE(missed);
}

TEST(EmulatorGenerator, VersionMixIsHonoured) {
  for (const auto& e : events_for(4, 300, {.versions = version_mix::v4}))
    EXPECT_TRUE(e.version == dialect::v4 || e.type.starts_with("contact."));
  for (const auto& e : events_for(4, 300, {.versions = version_mix::v3, .contacts = false}))
    EXPECT_EQ(e.version, dialect::v3);
}

}  // namespace
}  // namespace crmd::openphone_emulator
