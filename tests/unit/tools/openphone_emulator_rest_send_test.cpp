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

}  // namespace
}  // namespace crmd::openphone_emulator::rest
