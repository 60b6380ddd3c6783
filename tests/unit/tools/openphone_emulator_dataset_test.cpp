#include "tools/openphone-emulator/dataset.hpp"
#include "tools/openphone-emulator/rest_json.hpp"

#include "tests/unit/tools/openphone_emulator_rest_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace crmd::openphone_emulator::rest {
namespace {

using nlohmann::json;

// Every object as the API renders it, so two datasets compare field by field.
json everything(const dataset& d) {
  json out = json::array();
  for (const auto& x : d.numbers)
    out.push_back(to_json(d, x));
  for (const auto& x : d.users)
    out.push_back(to_json(d, x));
  for (const auto& x : d.contacts)
    out.push_back(to_json(d, x));
  for (const auto& x : d.conversations)
    out.push_back(to_json(d, x));
  for (const auto& x : d.messages)
    out.push_back(to_json(d, x, true));
  for (const auto& x : d.calls)
    out.push_back(to_json(d, x));
  for (const auto& x : d.recordings)
    out.push_back(to_json(d, x));
  for (const auto& x : d.summaries)
    out.push_back(to_json(d, x));
  for (const auto& x : d.transcripts)
    out.push_back(to_json(d, x));
  for (const auto& x : d.voicemails)
    out.push_back(to_json(d, x));
  return out;
}

// The default sizes, built once: the shares below need the large numbers, and building them is
// part of what is tested (it must stay quick).
const dataset& full() {
  static const dataset data = make_dataset({.seed = 20250601});
  return data;
}

TEST(EmulatorDataset, SameSeedSameDataset) {
  auto first = everything(make_dataset(small_options(5)));
  auto second = everything(make_dataset(small_options(5)));
  EXPECT_EQ(first, second);
  auto other = make_dataset(small_options(6));
  std::set<std::string> ids;
  for (const auto& m : make_dataset(small_options(5)).messages)
    ids.insert(m.id);
  for (const auto& m : other.messages)
    EXPECT_FALSE(ids.contains(m.id)) << m.id;
}

TEST(EmulatorDataset, CountsMatchTheOptions) {
  auto o = small_options(11);
  auto t = totals(make_dataset(o));
  EXPECT_EQ(t.phone_numbers, o.numbers);
  EXPECT_EQ(t.users, o.users);
  EXPECT_EQ(t.contacts, o.contacts);
  EXPECT_EQ(t.conversations, o.conversations);
  EXPECT_EQ(t.messages, o.messages);
  EXPECT_EQ(t.calls, o.calls);
  auto d = totals(full());
  EXPECT_EQ(d.phone_numbers, 3u);
  EXPECT_EQ(d.users, 5u);
  EXPECT_EQ(d.contacts, 1000u);
  EXPECT_EQ(d.conversations, 3000u);
  EXPECT_EQ(d.messages, 100000u);
  EXPECT_EQ(d.calls, 20000u);
}

TEST(EmulatorDataset, RejectsSizesOutOfRange) {
  auto o = small_options(1);
  o.numbers = 11;
  EXPECT_THROW(make_dataset(o), std::invalid_argument);
  o = small_options(1);
  o.conversations = 0;
  EXPECT_THROW(make_dataset(o), std::invalid_argument);
}

TEST(EmulatorDataset, IdsAreUniqueAndWellFormed) {
  const auto& d = full();
  std::set<std::string> ids;
  auto add = [&](const std::string& id, std::string_view prefix, std::size_t size) {
    EXPECT_TRUE(id.starts_with(prefix)) << id;
    EXPECT_EQ(id.size(), size) << id;
    EXPECT_TRUE(ids.insert(id).second) << "duplicate " << id;
  };
  for (const auto& x : d.numbers)
    add(x.id, "PN", 34);
  for (const auto& x : d.users)
    add(x.id, "US", 34);
  for (const auto& x : d.contacts)
    add(x.id, "", 24);
  for (const auto& x : d.conversations)
    add(x.id, "CN", 34);
  for (const auto& x : d.messages)
    add(x.id, "AC", 34);
  for (const auto& x : d.calls)
    add(x.id, "AC", 34);
  for (const auto& x : d.recordings)
    add(x.id, "CR", 34);
  for (const auto& x : d.voicemails)
    add(x.id, "VM", 34);
}

TEST(EmulatorDataset, EveryActivityBelongsToItsConversation) {
  const auto& d = full();
  std::set<std::pair<std::size_t, std::vector<std::string>>> parties;
  for (const auto& c : d.conversations) {
    EXPECT_TRUE(std::is_sorted(c.participants.begin(), c.participants.end()));
    EXPECT_TRUE(parties.insert({c.phone_number, c.participants}).second) << "two conversations "
                                                                            "with one party set";
    for (const auto& p : c.participants)
      EXPECT_NE(p, d.number_of(c).number);
  }
  for (const auto& m : d.messages) {
    ASSERT_LT(m.conversation, d.conversations.size());
    const auto& c = d.conversation_of(m);
    // The external parties of the message are exactly the conversation's participants.
    std::set<std::string_view> external;
    external.insert(d.from(m));
    for (auto to : d.to(m))
      external.insert(to);
    EXPECT_TRUE(external.erase(d.number_of(c).number));
    EXPECT_EQ(external, std::set<std::string_view>(c.participants.begin(), c.participants.end()));
    EXPECT_GE(m.created_ms, c.created_ms);
    EXPECT_EQ(m.user == no_user, m.dir == direction::incoming);
  }
  for (const auto& k : d.calls) {
    ASSERT_LT(k.conversation, d.conversations.size());
    EXPECT_EQ(d.conversation_of(k).participants.size(), 1u) << "calls have one external party";
    EXPECT_GE(k.completed_ms, k.created_ms);
    EXPECT_TRUE(k.answered_ms == 0 || k.answered_ms >= k.created_ms);
  }
}

TEST(EmulatorDataset, LastActivityIsTheNewestActivity) {
  const auto& d = full();
  using stamp = std::pair<std::int64_t, std::string>;
  std::vector<stamp> newest(d.conversations.size());
  for (const auto& m : d.messages)
    newest[m.conversation] = std::max(newest[m.conversation], stamp(m.created_ms, m.id));
  for (const auto& k : d.calls)
    newest[k.conversation] = std::max(newest[k.conversation], stamp(k.created_ms, k.id));
  for (std::size_t i = 0; i < d.conversations.size(); ++i) {
    const auto& c = d.conversations[i];
    ASSERT_FALSE(newest[i].second.empty()) << "with more messages than conversations, each has one";
    EXPECT_EQ(c.last_activity_id, newest[i].second);
    EXPECT_EQ(c.last_activity_ms, newest[i].first);
    EXPECT_EQ(c.updated_ms, c.last_activity_ms);
  }
}

TEST(EmulatorDataset, SharesAreRoughlyAsSpecified) {
  const auto& d = full();
  auto t = totals(d);
  auto share = [](std::size_t part, std::size_t whole) {
    return static_cast<double>(part) / static_cast<double>(whole);
  };
  EXPECT_NEAR(share(t.group_conversations, t.conversations), 0.10, 0.02);
  EXPECT_NEAR(share(t.mms_messages, t.messages), 0.15, 0.01);
  EXPECT_NEAR(share(t.summaries, t.answered_calls), 0.5, 0.03);
  EXPECT_NEAR(share(t.transcripts, t.answered_calls), 0.5, 0.03);
  std::size_t missed_incoming = 0;
  std::size_t recordings = 0;
  for (const auto& k : d.calls) {
    missed_incoming += !k.answered() && k.dir == direction::incoming ? 1 : 0;
    if (k.answered()) {
      EXPECT_GE(k.recording_count, 1);
      EXPECT_LE(k.recording_count, 2);
    } else {
      EXPECT_EQ(k.recording_count, 0);
      EXPECT_LT(k.summary, 0);
      EXPECT_LT(k.transcript, 0);
    }
    EXPECT_TRUE(k.voicemail < 0 || (!k.answered() && k.dir == direction::incoming));
    recordings += k.recording_count;
  }
  EXPECT_EQ(recordings, t.recordings);
  EXPECT_NEAR(share(t.voicemails, missed_incoming), 0.4, 0.04);
  for (const auto& m : d.messages) {
    EXPECT_LE(m.media.size(), 3u);
    for (const auto& item : m.media)
      EXPECT_TRUE(item.type == "image/jpeg" || item.type == "image/png");
  }
}

TEST(EmulatorDataset, TextsCarryUnicodeAndNewlines) {
  bool emoji = false, newline = false, accent = false;
  for (const auto& m : full().messages) {
    emoji = emoji || m.text.find("\xF0\x9F") != std::string_view::npos;
    newline = newline || m.text.find('\n') != std::string_view::npos;
    accent = accent || m.text.find("\xC3") != std::string_view::npos;
  }
  EXPECT_TRUE(emoji);
  EXPECT_TRUE(newline);
  EXPECT_TRUE(accent);
}

TEST(EmulatorDataset, ContactsAndConversationsOverlapOnlyPartly) {
  const auto& d = full();
  std::set<std::string> talking;
  for (const auto& c : d.conversations)
    talking.insert(c.participants.begin(), c.participants.end());
  std::set<std::string> saved;
  std::size_t silent = 0;
  for (const auto& c : d.contacts) {
    bool any = false;
    for (const auto& n : c.phone_numbers) {
      saved.insert(n.value);
      any = any || talking.contains(n.value);
    }
    silent += any ? 0 : 1;
  }
  std::size_t strangers = 0;
  for (const auto& p : talking)
    strangers += saved.contains(p) ? 0 : 1;
  EXPECT_GE(silent, 10u) << "contacts that share no number with any conversation";
  EXPECT_GE(strangers, 10u) << "participants who are not contacts";
  EXPECT_GT(talking.size() - strangers, d.contacts.size() / 2);
}

}  // namespace
}  // namespace crmd::openphone_emulator::rest
