#include "tools/openphone-emulator/paging.hpp"
#include "tools/openphone-emulator/rest_service.hpp"

#include "tests/unit/tools/openphone_emulator_rest_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace crmd::openphone_emulator::rest {
namespace {

using nlohmann::json;

TEST(EmulatorPageToken, RoundTrips) {
  page_cursor cursor{3, 0x0123456789abcdefULL, 4242, 99999};
  auto token = encode_page_token(cursor, 77);
  auto back = decode_page_token(token, 77);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->list, 3);
  EXPECT_EQ(back->scope, cursor.scope);
  EXPECT_EQ(back->position, 4242u);
  EXPECT_EQ(back->total, 99999u);
}

TEST(EmulatorPageToken, RefusesEveryTampering) {
  auto token = encode_page_token({1, 5, 10, 20}, 77);
  for (std::size_t i = 0; i < token.size(); ++i) {
    auto changed = token;
    changed[i] = changed[i] == '0' ? '1' : '0';
    EXPECT_FALSE(decode_page_token(changed, 77)) << "changed digit " << i;
  }
  EXPECT_FALSE(decode_page_token(token, 78)) << "another server's token";
  EXPECT_FALSE(decode_page_token(token.substr(1), 77));
  EXPECT_FALSE(decode_page_token(token + "0", 77));
  EXPECT_FALSE(decode_page_token("", 77));
}

TEST(EmulatorPageToken, TakePageLooksAheadForTheNextMatch) {
  std::vector<std::uint32_t> range{1, 2, 3, 4, 5, 6, 7, 8};
  auto even = [](std::uint32_t i) { return i % 2 == 0; };
  auto first = take_page(range, 0, 2, even);
  EXPECT_EQ(first.items, (std::vector<std::uint32_t>{2, 4}));
  ASSERT_TRUE(first.next);
  EXPECT_EQ(range[*first.next], 6u);
  auto last = take_page(range, *first.next, 2, even);
  EXPECT_EQ(last.items, (std::vector<std::uint32_t>{6, 8}));
  EXPECT_FALSE(last.next) << "a full last page still has no next page";
  EXPECT_FALSE(take_page(range, 8, 2, even).next);
}

class EmulatorRestPaging : public ::testing::Test {
 protected:
  dataset data = make_dataset(small_options(17));
  rest_service service{data, {.api_key = std::string(test_api_key), .rate_limit = 0, .seed = 17}};
  direct_client client{service};
};

TEST_F(EmulatorRestPaging, UsersAndContactsComeOutExactlyOnce) {
  auto users = client.walk("/v1/users?", 3);
  EXPECT_EQ(users.size(), data.users.size());
  EXPECT_EQ(ids_of(users).size(), data.users.size());
  auto contacts = client.walk("/v1/contacts?externalIds=x&sources=csv", 7);
  EXPECT_EQ(ids_of(contacts).size(), data.contacts.size());
  EXPECT_EQ(client.walk("/v1/contacts?", 50).size(), data.contacts.size());
}

TEST_F(EmulatorRestPaging, ConversationsNewestFirstExactlyOnce) {
  auto all = client.walk("/v1/conversations?", 9);
  ASSERT_EQ(ids_of(all).size(), data.conversations.size());
  for (std::size_t i = 1; i < all.size(); ++i) {
    auto a = std::make_pair(all[i - 1]["updatedAt"].get<std::string>(),
                            all[i - 1]["id"].get<std::string>());
    auto b =
        std::make_pair(all[i]["updatedAt"].get<std::string>(), all[i]["id"].get<std::string>());
    EXPECT_GT(a, b) << "newest first, id breaking ties";
  }
  // Per number, by id or by E.164; together they are everything once more.
  std::size_t sum = 0;
  for (const auto& n : data.numbers) {
    auto by_id = client.walk("/v1/conversations?phoneNumbers[]=" + n.id, 4);
    auto by_e164 = client.walk("/v1/conversations?phoneNumbers=" + encoded(n.number), 100);
    EXPECT_EQ(ids_of(by_id), ids_of(by_e164));
    for (const auto& c : by_id)
      EXPECT_EQ(c["phoneNumberId"], n.id);
    sum += by_id.size();
  }
  EXPECT_EQ(sum, data.conversations.size());
  auto both = client.walk("/v1/conversations?phoneNumbers[]=" + data.numbers[0].id +
                              "&phoneNumbers[]=" + data.numbers[1].id,
                          6);
  EXPECT_EQ(both.size(), data.conversations.size());
}

TEST_F(EmulatorRestPaging, ConversationTimeFiltersAreHalfOpen) {
  auto all = client.walk("/v1/conversations?", 100);
  std::string middle = all[all.size() / 2]["updatedAt"];
  auto newer = client.walk("/v1/conversations?updatedAfter=" + middle, 5);
  auto older = client.walk("/v1/conversations?updatedBefore=" + middle, 5);
  EXPECT_EQ(newer.size() + older.size(), all.size());
  for (const auto& c : newer)
    EXPECT_GE(c["updatedAt"].get<std::string>(), middle);
  std::string created = all[3]["createdAt"];
  auto created_after = client.walk("/v1/conversations?createdAfter=" + created, 5);
  std::size_t expected = std::count_if(all.begin(), all.end(), [&](const json& c) {
    return c["createdAt"].get<std::string>() >= created;
  });
  EXPECT_EQ(created_after.size(), expected);
  EXPECT_EQ(client.walk("/v1/conversations?excludeInactive=true", 10).size(), all.size());
}

TEST_F(EmulatorRestPaging, EveryConversationsMessagesAndCallsExactlyOnce) {
  std::set<std::string> messages, calls;
  for (const auto& c : data.conversations) {
    std::string parties;
    for (const auto& p : c.participants)
      parties += "&participants=" + encoded(p);
    auto number = "phoneNumberId=" + data.number_of(c).id;
    auto page = client.walk("/v1/messages?" + number + parties, 4);
    for (std::size_t i = 1; i < page.size(); ++i)
      EXPECT_GE(page[i - 1]["createdAt"].get<std::string>(),
                page[i]["createdAt"].get<std::string>());
    for (const auto& m : page) {
      EXPECT_FALSE(m.contains("media"));
      EXPECT_FALSE(m.contains("conversationId"));
      EXPECT_TRUE(messages.insert(m["id"]).second);
    }
    // The newest message or call is the conversation's last activity.
    using stamp = std::pair<std::string, std::string>;
    stamp newest;
    if (!page.empty())
      newest = {page.front()["createdAt"], page.front()["id"]};
    if (c.participants.size() == 1) {
      auto call_page = client.walk("/v1/calls?" + number + parties, 3);
      for (const auto& k : call_page)
        EXPECT_TRUE(calls.insert(k["id"]).second);
      if (!call_page.empty())
        newest = std::max(newest, stamp(call_page.front()["createdAt"], call_page.front()["id"]));
    }
    EXPECT_EQ(newest.second, c.last_activity_id);
  }
  EXPECT_EQ(messages.size(), data.messages.size());
  EXPECT_EQ(calls.size(), data.calls.size());
}

TEST_F(EmulatorRestPaging, ParticipantFormsAndOrderDoNotMatter) {
  auto group = std::find_if(data.conversations.begin(), data.conversations.end(),
                            [](const conversation& c) { return c.participants.size() >= 2; });
  ASSERT_NE(group, data.conversations.end());
  auto base = "/v1/messages?phoneNumberId=" + data.number_of(*group).id;
  std::string bare, brackets, reversed;
  for (const auto& p : group->participants) {
    bare += "&participants=" + encoded(p);
    brackets += "&participants%5B%5D=" + encoded(p);
    reversed = "&participants=" + encoded(p) + reversed;
  }
  auto expected = ids_of(client.walk(base + bare, 100));
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(ids_of(client.walk(base + brackets, 100)), expected);
  EXPECT_EQ(ids_of(client.walk(base + reversed, 100)), expected);
  // A subset of the parties is another conversation (none here): nothing.
  auto subset =
      client.get(base + "&participants=" + encoded(group->participants[0]) + "&maxResults=5");
  EXPECT_EQ(subset.status, 200u);
  for (const auto& m : subset.body["data"])
    EXPECT_FALSE(expected.contains(m["id"]));
}

TEST_F(EmulatorRestPaging, MaxResultsBoundsAndDefault) {
  EXPECT_EQ(client.get("/v1/users?maxResults=0").status, 400u);
  EXPECT_EQ(client.get("/v1/users?maxResults=51").status, 400u);
  EXPECT_EQ(client.get("/v1/users?maxResults=50").status, 200u);
  EXPECT_EQ(client.get("/v1/conversations?maxResults=101").status, 400u);
  EXPECT_EQ(client.get("/v1/conversations?maxResults=abc").status, 400u);
  auto r = client.get("/v1/conversations");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.body["data"].size(), 10u);
  EXPECT_EQ(r.body["totalItems"], data.conversations.size());
  auto bad = client.get("/v1/users?maxResults=0");
  EXPECT_EQ(bad.body["code"], "1100400");
  EXPECT_EQ(bad.body["status"], 400);
  EXPECT_EQ(bad.body["title"], "Bad Request");
  EXPECT_TRUE(bad.body.contains("docs"));
}

TEST_F(EmulatorRestPaging, TokensOnlyContinueTheirOwnQuery) {
  auto first = client.get("/v1/conversations?maxResults=5");
  std::string token = first.body["nextPageToken"];
  EXPECT_EQ(client.get("/v1/conversations?maxResults=5&pageToken=" + token).status, 200u);
  EXPECT_EQ(client.get("/v1/users?maxResults=5&pageToken=" + token).status, 400u);
  EXPECT_EQ(client.get("/v1/conversations?excludeInactive=true&pageToken=" + token).status, 400u);
  auto tampered = token;
  tampered[4] = tampered[4] == 'a' ? 'b' : 'a';
  auto refused = client.get("/v1/conversations?pageToken=" + tampered);
  EXPECT_EQ(refused.status, 400u);
  EXPECT_EQ(refused.body["code"], "1000400");
  // Another server (another seed) does not take it either.
  rest_service other(data, {.api_key = std::string(test_api_key), .rate_limit = 0, .seed = 18});
  direct_client other_client(other);
  EXPECT_EQ(other_client.get("/v1/conversations?pageToken=" + token).status, 400u);
}

}  // namespace
}  // namespace crmd::openphone_emulator::rest
