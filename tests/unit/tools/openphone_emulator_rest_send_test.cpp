#include "tools/openphone-emulator/rest_send.hpp"
#include "tools/openphone-emulator/rest_service.hpp"

#include "tests/unit/tools/openphone_emulator_rest_support.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace crmd::openphone_emulator::rest {
namespace {

const dataset& small_data() {
  static const dataset data = make_dataset(small_options(41));
  return data;
}

rest_response refused(std::string_view body) {
  auto result = accept_text(small_data(), body, "AC1", 1'700'000'000'000);
  EXPECT_TRUE(std::holds_alternative<rest_response>(result)) << body;
  return std::holds_alternative<rest_response>(result) ? std::get<rest_response>(result)
                                                       : rest_response{};
}

TEST(EmulatorSend, AKnownNumberResolvesToItsPair) {
  const auto& ours = small_data().numbers.front();
  auto body = nlohmann::json{{"content", "On our way"}, {"from", ours.id}, {"to", {"+15085550100"}}};
  auto result = accept_text(small_data(), body.dump(), "AC1", 1'700'000'000'000);
  ASSERT_TRUE(std::holds_alternative<accepted_text>(result));
  const auto& text = std::get<accepted_text>(result);
  EXPECT_EQ(text.phone_number_id, ours.id);
  EXPECT_EQ(text.from, ours.number);
  auto by_number = nlohmann::json{{"content", "x"}, {"from", ours.number}, {"to", {"+15085550100"}}};
  auto second = accept_text(small_data(), by_number.dump(), "AC2", 0);
  EXPECT_EQ(std::get<accepted_text>(second).phone_number_id, ours.id);
}

TEST(EmulatorSend, AnswerIs202WithTheMessage) {
  accepted_text text{.id = "AC7", .phone_number_id = "PN1", .from = "+15550100001",
                     .to = {"+15085550100"}, .content = "Hi", .created_ms = 1'700'000'000'000};
  auto response = accepted_response(text);
  EXPECT_EQ(response.status, 202u);
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["data"]["id"], "AC7");
  EXPECT_EQ(body["data"]["status"], "sent");
  EXPECT_EQ(body["data"]["direction"], "outgoing");
  EXPECT_TRUE(body["data"]["userId"].is_null());
}

TEST(EmulatorSend, RefusesWhatTheProviderRefuses) {
  EXPECT_EQ(refused("nope").status, 400u);
  EXPECT_EQ(refused(R"({"from":"PN1","to":["+15085550100"]})").status, 400u);
  EXPECT_EQ(refused(R"({"content":"   ","from":"PN1","to":["+15085550100"]})").status, 400u);
  EXPECT_EQ(refused(R"({"content":"x","from":"5085550100","to":["+15085550100"]})").status, 400u);
  EXPECT_EQ(refused(R"({"content":"x","from":"PN1","to":[]})").status, 400u);
  EXPECT_EQ(refused(R"({"content":"x","from":"PN1","to":["5085550100"]})").status, 400u);
  EXPECT_EQ(refused(R"({"content":")" + std::string(1601, 'a') + R"(","from":"PN1","to":["+15085550100"]})").status,
            400u);
}

TEST(EmulatorSend, TheServiceLogsEachAcceptedTextOnceAndTellsTheHook) {
  std::vector<std::string> told;
  rest_service service(small_data(), {.api_key = std::string(test_api_key),
                                      .rate_limit = 0,
                                      .seed = 3,
                                      .on_sent = [&](const accepted_text& t) { told.push_back(t.id); }});
  auto send = [&](std::string body) {
    return service.handle({"POST", "/v1/messages", std::string(test_api_key), std::nullopt, body},
                          1, 1'700'000'000'000);
  };
  auto first = send(R"({"content":"a","from":"PN1","to":["+15085550100"]})");
  auto second = send(R"({"content":"b","from":"PN1","to":["+15085550101"]})");
  auto bad = send(R"({"content":"","from":"PN1","to":["+15085550101"]})");
  EXPECT_EQ(first.response.status, 202u);
  EXPECT_EQ(second.response.status, 202u);
  EXPECT_EQ(bad.response.status, 400u);
  auto ids = std::vector<std::string>{nlohmann::json::parse(first.response.body)["data"]["id"],
                                      nlohmann::json::parse(second.response.body)["data"]["id"]};
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_EQ(told, ids);
  auto log = service.sent()["data"];
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1]["content"], "b");
  auto unauthenticated =
    service.handle({"POST", "/v1/messages", std::string("wrong"), std::nullopt, "{}"}, 1, 0);
  EXPECT_EQ(unauthenticated.response.status, 401u);
}

// crmd settles a send whose answer it never got by listing the conversation's messages: an
// accepted text appears in GET /v1/messages for its number and participants (newest first, after
// createdAfter), even for a number outside the dataset; the sent log records the accept time.
TEST(EmulatorSend, AcceptedTextsAreListedForTheirNumberAndParticipants) {
  rest_service service(small_data(), {.api_key = std::string(test_api_key), .rate_limit = 0,
                                      .seed = 3});
  auto handle = [&](std::string method, std::string target, std::string body, std::int64_t ms) {
    return service.handle({method, target, std::string(test_api_key), std::nullopt, body}, 1, ms);
  };
  handle("POST", "/v1/messages", R"({"content":"first","from":"PNcamp","to":["+15085550100"]})",
         1'700'000'000'000);
  handle("POST", "/v1/messages", R"({"content":"second","from":"PNcamp","to":["+15085550100"]})",
         1'700'000'060'000);
  handle("POST", "/v1/messages", R"({"content":"other","from":"PNcamp","to":["+15085550101"]})",
         1'700'000'060'000);
  auto list = handle("GET", "/v1/messages?phoneNumberId=PNcamp&participants=%2B15085550100", "",
                     1'700'000'100'000);
  ASSERT_EQ(list.response.status, 200u) << list.response.body;
  auto data = nlohmann::json::parse(list.response.body)["data"];
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0]["text"], "second");
  EXPECT_EQ(data[1]["text"], "first");
  auto later = handle("GET",
                      "/v1/messages?phoneNumberId=PNcamp&participants=%2B15085550100"
                      "&createdAfter=2023-11-14T22:13:50.000Z",
                      "", 1'700'000'100'000);
  ASSERT_EQ(later.response.status, 200u);
  auto after = nlohmann::json::parse(later.response.body)["data"];
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0]["text"], "second");
  EXPECT_EQ(handle("GET", "/v1/messages?phoneNumberId=PNnone&participants=%2B15085550100", "", 0)
              .response.status,
            404u);
  EXPECT_EQ(service.sent()["data"][0]["acceptedMs"], 1'700'000'000'000);
}

TEST(EmulatorSend, SendDropRateCutsOffTheAnswerOfAcceptedSendsOnly) {
  rest_service service(small_data(), {.api_key = std::string(test_api_key), .rate_limit = 0,
                                      .seed = 3, .send_drop_rate = 1});
  auto sent = service.handle({"POST", "/v1/messages", std::string(test_api_key), std::nullopt,
                              R"({"content":"a","from":"PN1","to":["+15085550100"]})"},
                             1, 1'700'000'000'000);
  EXPECT_EQ(sent.injected, injection::drop);
  EXPECT_EQ(service.sent()["data"].size(), 1u) << "the text was sent all the same";
  auto refused = service.handle({"POST", "/v1/messages", std::string(test_api_key), std::nullopt,
                                 R"({"content":"","from":"PN1","to":["+15085550100"]})"},
                                1, 1'700'000'000'000);
  EXPECT_EQ(refused.injected, injection::none);
  EXPECT_EQ(service.handle({"GET", "/v1/users", std::string(test_api_key), std::nullopt, ""}, 1, 0)
              .injected,
            injection::none);
}

}  // namespace
}  // namespace crmd::openphone_emulator::rest
