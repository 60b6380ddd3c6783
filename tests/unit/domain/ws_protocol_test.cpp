#include "domain/ws_protocol.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <variant>

namespace crmd::domain {
namespace {

using json = nlohmann::json;

ws_client_message parsed(std::string_view text) {
  auto result = parse_ws_client_message(text);
  if (auto* error = std::get_if<ws_protocol_error>(&result)) {
    ADD_FAILURE() << text << " → " << error->code << ": " << error->message;
    return ws_ping{};
  }
  return std::get<ws_client_message>(result);
}

std::string error_code_of(std::string_view text) {
  auto result = parse_ws_client_message(text);
  auto* error = std::get_if<ws_protocol_error>(&result);
  if (error == nullptr)
    return "parsed";
  EXPECT_FALSE(error->message.empty());
  return error->code;
}

TEST(WsProtocol, ParsesSubscribeWithoutDuplicates) {
  auto message = parsed(R"({"type":"subscribe","topics":["inbox","conversation:12","inbox"]})");
  ASSERT_TRUE(std::holds_alternative<ws_subscribe>(message));
  EXPECT_EQ(std::get<ws_subscribe>(message).topics,
            (std::vector<std::string>{"inbox", "conversation:12"}));
}

TEST(WsProtocol, ParsesUnsubscribe) {
  auto message = parsed(R"({"type":"unsubscribe","topics":["sync"]})");
  ASSERT_TRUE(std::holds_alternative<ws_unsubscribe>(message));
  EXPECT_EQ(std::get<ws_unsubscribe>(message).topics, (std::vector<std::string>{"sync"}));
}

TEST(WsProtocol, ParsesResume) {
  auto message = parsed(R"({"type":"resume","epoch":"ab12","since":41,"topics":["imports"]})");
  ASSERT_TRUE(std::holds_alternative<ws_resume>(message));
  const auto& resume = std::get<ws_resume>(message);
  EXPECT_EQ(resume.epoch, "ab12");
  EXPECT_EQ(resume.since, 41u);
  EXPECT_EQ(resume.topics, (std::vector<std::string>{"imports"}));
}

TEST(WsProtocol, ParsesPingAndIgnoresUnknownMembers) {
  EXPECT_TRUE(std::holds_alternative<ws_ping>(parsed(R"({"type":"ping","extra":[1,2]})")));
}

TEST(WsProtocol, RejectsWhatIsNotAFrameAsInvalidMessage) {
  for (const char* text :
       {"", "not json", "[]", "42", R"("ping")", R"({"type":7})", R"({"kind":"ping"})",
        R"({"type":"shout"})", R"({"type":"subscribe"})", R"({"type":"subscribe","topics":[]})",
        R"({"type":"subscribe","topics":"inbox"})", R"({"type":"subscribe","topics":[1]})",
        R"({"type":"resume","since":1,"topics":["inbox"]})",
        R"({"type":"resume","epoch":"e","since":-1,"topics":["inbox"]})",
        R"({"type":"resume","epoch":"e","since":1.5,"topics":["inbox"]})",
        R"({"type":"resume","epoch":"e","since":"1","topics":["inbox"]})",
        "{\"type\":\"ping\"\xff}"})
    EXPECT_EQ(error_code_of(text), "invalid_message") << text;
}

TEST(WsProtocol, RejectsTopicsOutsideTheList) {
  for (const char* topic :
       {"inbox2", "Inbox", "conversation:", "conversation:0", "conversation:-3", "conversation:+3",
        "conversation:012", "conversation:1a", "conversation:9223372036854775808", "contact:1",
        "campaign:", "campaign:0", "campaign:07", "campaigns:1", ""})
    EXPECT_EQ(error_code_of(json{{"type", "subscribe"}, {"topics", {topic}}}.dump()),
              "unknown_topic")
      << topic;
}

TEST(WsProtocol, AcceptsEveryTopicOfTheContract) {
  for (const char* topic :
       {"inbox", "imports", "sync", "campaigns", "conversation:1",
        "conversation:9223372036854775807", "campaign:12"})
    EXPECT_TRUE(is_valid_ws_topic(topic)) << topic;
}

TEST(WsProtocol, RefusesMoreThanFiftyTopicsInOneFrame) {
  json topics = json::array();
  for (int i = 1; i <= 51; ++i)
    topics.push_back("conversation:" + std::to_string(i));
  EXPECT_EQ(error_code_of(json{{"type", "subscribe"}, {"topics", topics}}.dump()),
            "too_many_topics");
  topics.erase(topics.begin());
  EXPECT_EQ(error_code_of(json{{"type", "subscribe"}, {"topics", topics}}.dump()), "parsed");
}

TEST(WsProtocol, RendersHello) {
  EXPECT_EQ(json::parse(render_ws_hello("e1", 7, 20)),
            (json{{"type", "hello"}, {"epoch", "e1"}, {"seq", 7}, {"heartbeat_s", 20}}));
}

TEST(WsProtocol, RendersTopicAnswers) {
  EXPECT_EQ(json::parse(render_ws_subscribed({"inbox", "sync"})),
            (json{{"type", "subscribed"}, {"topics", {"inbox", "sync"}}}));
  EXPECT_EQ(json::parse(render_ws_unsubscribed({"inbox"})),
            (json{{"type", "unsubscribed"}, {"topics", {"inbox"}}}));
}

TEST(WsProtocol, RendersAnEventWithThePayloadMembers) {
  auto frame = json::parse(
    render_ws_event(12, "conversation:3", R"({"event":"activity.created","data":{"id":5}})"));
  EXPECT_EQ(frame, (json{{"type", "event"},
                         {"seq", 12},
                         {"topic", "conversation:3"},
                         {"event", "activity.created"},
                         {"data", {{"id", 5}}}}));
}

TEST(WsProtocol, RendersOddPayloadsAsValidJson) {
  EXPECT_EQ(json::parse(render_ws_event(1, "inbox", " {} ")),
            (json{{"type", "event"}, {"seq", 1}, {"topic", "inbox"}}));
  EXPECT_EQ(json::parse(render_ws_event(2, "inbox", "[1]"))["data"], json::array({1}));
  EXPECT_EQ(json::parse(render_ws_event(3, "inbox", "not json"))["data"], "not json");
}

TEST(WsProtocol, RendersTheOtherServerFrames) {
  EXPECT_EQ(json::parse(render_ws_resumed(9)), (json{{"type", "resumed"}, {"seq", 9}}));
  EXPECT_EQ(json::parse(render_ws_resync("evicted")),
            (json{{"type", "resync"}, {"reason", "evicted"}}));
  EXPECT_EQ(json::parse(render_ws_pong()), (json{{"type", "pong"}}));
  EXPECT_EQ(json::parse(render_ws_error("unknown_topic", "bad \xff")),
            (json{{"type", "error"}, {"code", "unknown_topic"}, {"message", "bad \xEF\xBF\xBD"}}));
}

}  // namespace
}  // namespace crmd::domain
