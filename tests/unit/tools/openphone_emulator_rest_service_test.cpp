#include "tools/openphone-emulator/admission.hpp"
#include "tools/openphone-emulator/rest_service.hpp"

#include "tests/unit/tools/openphone_emulator_rest_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace crmd::openphone_emulator::rest {
namespace {

constexpr std::int64_t second_ns = 1'000'000'000;

TEST(EmulatorRateLimit, BucketHoldsRateTokensAndRefillsAtRate) {
  token_bucket bucket;
  std::int64_t t = 5 * second_ns;
  for (int i = 0; i < 10; ++i)
    EXPECT_TRUE(take_token(bucket, 10, t)) << i;
  EXPECT_FALSE(take_token(bucket, 10, t));
  EXPECT_FALSE(take_token(bucket, 10, t + second_ns / 20)) << "half a token after 50 ms";
  EXPECT_TRUE(take_token(bucket, 10, t + second_ns / 10));
  EXPECT_FALSE(take_token(bucket, 10, t + second_ns / 10));
  // A long pause refills to the capacity, not beyond.
  int granted = 0;
  for (int i = 0; i < 30; ++i)
    granted += take_token(bucket, 10, t + 60 * second_ns) ? 1 : 0;
  EXPECT_EQ(granted, 10);
}

TEST(EmulatorRateLimit, SteadyRateIsWhatIsAllowed) {
  token_bucket bucket;
  int granted = 0;
  // 100 requests a second for 10 s against 10/s: the initial 10 plus 10 per second.
  for (int i = 0; i < 1000; ++i)
    granted += take_token(bucket, 10, i * second_ns / 100) ? 1 : 0;
  EXPECT_GE(granted, 108);
  EXPECT_LE(granted, 110);
}

TEST(EmulatorRateLimit, ZeroIsUnlimited) {
  token_bucket bucket;
  for (int i = 0; i < 1000; ++i)
    ASSERT_TRUE(take_token(bucket, 0, 0));
}

TEST(EmulatorInjection, SharesFollowTheRates) {
  injection_rates rates{.fail = 0.2, .slow = 0.1, .drop = 0.05};
  std::map<injection, int> seen;
  constexpr int n = 100000;
  for (std::uint64_t i = 0; i < n; ++i)
    ++seen[decide_injection(rates, 42, i)];
  EXPECT_NEAR(seen[injection::fail_500] / double(n), 0.1, 0.01);
  EXPECT_NEAR(seen[injection::fail_503] / double(n), 0.1, 0.01);
  EXPECT_NEAR(seen[injection::slow] / double(n), 0.1, 0.01);
  EXPECT_NEAR(seen[injection::drop] / double(n), 0.05, 0.01);
  EXPECT_NEAR(seen[injection::none] / double(n), 0.65, 0.01);
}

TEST(EmulatorInjection, DeterministicPerSeedAndOffByDefault) {
  injection_rates rates{.fail = 0.5};
  int differ = 0;
  for (std::uint64_t i = 0; i < 200; ++i) {
    EXPECT_EQ(decide_injection(rates, 1, i), decide_injection(rates, 1, i));
    differ += decide_injection(rates, 1, i) != decide_injection(rates, 2, i) ? 1 : 0;
    EXPECT_EQ(decide_injection({}, 1, i), injection::none);
    EXPECT_NE(decide_injection({.drop = 1}, 1, i), injection::none);
  }
  EXPECT_GT(differ, 20);
}

class EmulatorRestService : public ::testing::Test {
 protected:
  dataset data = make_dataset(small_options(23));

  service_settings settings(int rate_limit, injection_rates rates = {}) {
    return {.api_key = std::string(test_api_key),
            .rate_limit = rate_limit,
            .injection = rates,
            .seed = 23};
  }
};

TEST_F(EmulatorRestService, AuthorizationIsTheRawKey) {
  rest_service service(data, settings(0));
  direct_client client(service);
  for (auto key : {std::optional<std::string>(), std::optional<std::string>("Bearer test-key"),
                   std::optional<std::string>("other")}) {
    auto r = client.get("/v1/users", key);
    EXPECT_EQ(r.status, 401u);
    EXPECT_EQ(r.body["error"]["message"], "Unauthorized");
    EXPECT_EQ(r.body["error"]["key"], "Unauthorized");
    std::string trace = r.body["error"]["trace"];
    EXPECT_TRUE(!trace.empty() && std::all_of(trace.begin(), trace.end(), ::isdigit));
  }
  EXPECT_EQ(client.get("/v1/users").status, 200u);
  EXPECT_EQ(client.get("/v1/nothing").status, 404u);
  EXPECT_EQ(client.get("/nothing", std::nullopt).status, 404u);
}

TEST_F(EmulatorRestService, RateLimitAnswers429WithRetryAfter) {
  rest_service service(data, settings(3));
  direct_client client(service);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(client.get("/v1/users").status, 200u);
  auto limited = client.get("/v1/users");
  EXPECT_EQ(limited.status, 429u);
  EXPECT_EQ(limited.header("Retry-After"), "1");
  EXPECT_EQ(limited.body["status"], 429);
  EXPECT_EQ(client.get("/_emulator/stats", std::nullopt).status, 200u) << "stats are never limited";
  EXPECT_EQ(client.get("/v1/users", "wrong").status, 401u) << "auth comes first";
  client.now_ns += second_ns;
  EXPECT_EQ(client.get("/v1/users").status, 200u);
  auto stats = client.get("/_emulator/stats", std::nullopt).body;
  EXPECT_EQ(stats["rate_limited"], 1);
  EXPECT_EQ(stats["requests"], 6);
  EXPECT_EQ(stats["served"], 4);
  EXPECT_EQ(stats["by_status"]["200"], 4);
  EXPECT_EQ(stats["by_status"]["429"], 1);
  EXPECT_EQ(stats["by_status"]["401"], 1);
  EXPECT_EQ(stats["rate_limit"], 3);
  EXPECT_LT(stats["first_request_ms"].get<std::int64_t>(),
            stats["last_request_ms"].get<std::int64_t>());
}

TEST_F(EmulatorRestService, InjectionOnlyAfterTheRateLimit) {
  rest_service service(data, settings(5, {.fail = 1}));
  direct_client client(service);
  std::map<unsigned, int> statuses;
  for (int i = 0; i < 20; ++i) {
    auto r = client.get("/v1/users");
    ++statuses[r.status];
    if (r.status == 503) {
      EXPECT_EQ(r.header("Retry-After"), "1");
    }
  }
  EXPECT_EQ(statuses[429], 15);
  EXPECT_EQ(statuses[500] + statuses[503], 5);
  auto stats = client.get("/_emulator/stats", std::nullopt).body;
  EXPECT_EQ(stats["injected"]["500"].get<int>() + stats["injected"]["503"].get<int>(), 5);
  EXPECT_EQ(stats["served"], 0);
  EXPECT_TRUE(stats["first_request_ms"].is_null());
}

TEST_F(EmulatorRestService, SlowAndDropAreLeftToTheSession) {
  rest_service slow(data, settings(0, {.slow = 1}));
  auto r = direct_client(slow).get("/v1/users");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.injected, injection::slow);
  rest_service drop(data, settings(0, {.drop = 1}));
  direct_client dropping(drop);
  EXPECT_EQ(dropping.get("/v1/users").injected, injection::drop);
  auto stats = dropping.get("/_emulator/stats", std::nullopt).body;
  EXPECT_EQ(stats["injected"]["drop"], 1);
  EXPECT_EQ(stats["served"], 0);
  EXPECT_FALSE(stats["by_status"].contains("200")) << "a dropped answer never completed";
}

TEST_F(EmulatorRestService, DatedMessageCarriesMediaAndNeedsTheVersionFirst) {
  rest_service service(data, settings(0));
  direct_client client(service);
  auto mms = std::find_if(data.messages.begin(), data.messages.end(),
                          [](const message& m) { return !m.media.empty(); });
  ASSERT_NE(mms, data.messages.end());
  auto missing = client.get("/messages/" + mms->id, std::nullopt);
  EXPECT_EQ(missing.status, 400u) << "the version header is checked before auth";
  EXPECT_TRUE(missing.body.contains("title"));
  EXPECT_EQ(client.get("/messages/" + mms->id, std::nullopt, "2026-03-30").status, 401u);
  auto dated = client.get("/messages/" + mms->id, std::string(test_api_key), "2026-03-30");
  ASSERT_EQ(dated.status, 200u);
  ASSERT_EQ(dated.body["data"]["media"].size(), mms->media.size());
  EXPECT_EQ(dated.body["data"]["media"][0]["url"], mms->media[0].url);
  EXPECT_EQ(dated.body["data"]["media"][0]["type"], mms->media[0].type);
  auto v1 = client.get("/v1/messages/" + mms->id);
  ASSERT_EQ(v1.status, 200u);
  EXPECT_FALSE(v1.body["data"].contains("media"));
  EXPECT_EQ(v1.body["data"]["id"], mms->id);
}

TEST_F(EmulatorRestService, SingleResourcesAndFollowUps) {
  rest_service service(data, settings(0));
  direct_client client(service);
  EXPECT_EQ(client.get("/v1/phone-numbers").body["data"].size(), data.numbers.size());
  EXPECT_EQ(client.get("/v1/phone-numbers/" + data.numbers[1].id).body["data"]["number"],
            data.numbers[1].number);
  EXPECT_EQ(client.get("/v1/users/" + data.users[2].id).body["data"]["email"], data.users[2].email);
  EXPECT_EQ(
      client.get("/v1/contacts/" + data.contacts[7].id).body["data"]["defaultFields"]["firstName"],
      data.contacts[7].first_name);
  EXPECT_EQ(client.get("/v1/users/USnope").status, 404u);
  EXPECT_EQ(client.get("/v1/users/not-an-id").status, 400u);
  EXPECT_EQ(client.get("/v1/calls/" + data.messages[0].id).status, 404u) << "a message is no call";

  auto answered = std::find_if(data.calls.begin(), data.calls.end(),
                               [](const call& k) { return k.answered() && k.summary >= 0; });
  auto missed = std::find_if(data.calls.begin(), data.calls.end(),
                             [](const call& k) { return !k.answered(); });
  ASSERT_NE(answered, data.calls.end());
  ASSERT_NE(missed, data.calls.end());
  auto recordings = client.get("/v1/call-recordings/" + answered->id);
  ASSERT_EQ(recordings.status, 200u);
  EXPECT_EQ(recordings.body["data"].size(), answered->recording_count);
  EXPECT_EQ(recordings.body["data"][0]["type"], "audio/mpeg");
  EXPECT_EQ(client.get("/v1/call-recordings/" + missed->id).body["data"], nlohmann::json::array());
  EXPECT_EQ(client.get("/v1/call-summaries/" + answered->id).body["data"]["status"], "completed");
  auto none = client.get("/v1/call-summaries/" + missed->id);
  EXPECT_EQ(none.status, 404u);
  EXPECT_EQ(none.body["code"], "0500404");
  EXPECT_EQ(client.get("/v1/call-transcripts/ACdoesnotexist").status, 404u);
  EXPECT_EQ(client.get("/v1/call-voicemails/ACdoesnotexist").status, 404u);
  EXPECT_EQ(client.get("/v1/call-recordings/ACdoesnotexist").status, 404u);
}

TEST_F(EmulatorRestService, ActivityListsValidateTheirParameters) {
  rest_service service(data, settings(0));
  direct_client client(service);
  const auto& c = data.conversations[0];
  auto number = "phoneNumberId=" + data.number_of(c).id;
  auto party = "&participants=" + encoded(c.participants[0]);
  EXPECT_EQ(client.get("/v1/messages?" + number + party).status, 200u);
  EXPECT_EQ(client.get("/v1/messages?" + std::string(party.substr(1))).status, 400u);
  EXPECT_EQ(client.get("/v1/messages?" + number).status, 400u);
  EXPECT_EQ(client.get("/v1/messages?phoneNumberId=bad" + party).status, 400u);
  EXPECT_EQ(client.get("/v1/messages?" + number + "&participants=%2B1notanumber").status, 400u);
  EXPECT_EQ(client.get("/v1/messages?" + number + "&participants=+15085550100").status, 400u)
      << "an unencoded + is a space";
  EXPECT_EQ(client.get("/v1/messages?" + number + party + "&createdAfter=yesterday").status, 400u);
  auto two = client.get("/v1/calls?" + number + party + "&participants=%2B15085550100");
  EXPECT_EQ(two.status, 400u);
  EXPECT_EQ(two.body["code"], "0101400");
  EXPECT_EQ(two.body["title"], "Too Many Participants");
  auto stranger = client.get("/v1/messages?" + number + "&participants=%2B19995550000");
  EXPECT_EQ(stranger.status, 200u);
  EXPECT_EQ(stranger.body["totalItems"], 0);
  EXPECT_TRUE(stranger.body["nextPageToken"].is_null());
}

TEST_F(EmulatorRestService, MessageTimeWindowsSplitTheConversation) {
  rest_service service(data, settings(0));
  direct_client client(service);
  auto busiest = data.conversations.begin();
  std::map<std::uint32_t, int> counts;
  for (const auto& m : data.messages)
    ++counts[m.conversation];
  auto top = std::max_element(counts.begin(), counts.end(),
                              [](auto& a, auto& b) { return a.second < b.second; });
  busiest += top->first;
  auto base = "/v1/messages?phoneNumberId=" + data.number_of(*busiest).id;
  for (const auto& p : busiest->participants)
    base += "&participants=" + encoded(p);
  auto all = client.walk(base, 100);
  ASSERT_GE(all.size(), 4u);
  std::string cut = all[all.size() / 2]["createdAt"];
  auto newer = client.walk(base + "&createdAfter=" + cut, 3);
  auto older = client.walk(base + "&createdBefore=" + cut, 3);
  auto since = client.walk(base + "&since=" + cut, 3);
  EXPECT_EQ(newer.size() + older.size(), all.size());
  EXPECT_EQ(ids_of(since), ids_of(older));
  for (const auto& m : older)
    EXPECT_LT(m["createdAt"].get<std::string>(), cut);
}

}  // namespace
}  // namespace crmd::openphone_emulator::rest
