#include "domain/ws_protocol.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <limits>

namespace crmd::domain {

namespace {

using json = nlohmann::json;
using parse_result = std::variant<ws_client_message, ws_protocol_error>;

constexpr std::string_view conversation_prefix = "conversation:";
constexpr std::string_view campaign_prefix = "campaign:";

ws_protocol_error invalid(std::string message) {
  return {std::string(ws_error_code::invalid_message), std::move(message)};
}

// Client text may be any bytes; replacing bad UTF-8 keeps dump() from throwing.
std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The "topics" member: a non-empty array of valid topic strings, duplicates dropped.
std::variant<std::vector<std::string>, ws_protocol_error> read_topics(const json& frame) {
  auto it = frame.find("topics");
  if (it == frame.end() || !it->is_array() || it->empty())
    return invalid("\"topics\" must be a non-empty array of strings");
  if (it->size() > ws_max_topics)
    return ws_protocol_error{std::string(ws_error_code::too_many_topics),
                             "at most " + std::to_string(ws_max_topics) + " topics"};
  std::vector<std::string> topics;
  for (const auto& item : *it) {
    if (!item.is_string())
      return invalid("\"topics\" must be a non-empty array of strings");
    const auto& topic = item.get_ref<const std::string&>();
    if (!is_valid_ws_topic(topic))
      return ws_protocol_error{std::string(ws_error_code::unknown_topic),
                               "unknown topic " + dump(item)};
    if (std::find(topics.begin(), topics.end(), topic) == topics.end())
      topics.push_back(topic);
  }
  return topics;
}

template <class Message>
parse_result with_topics(const json& frame) {
  auto topics = read_topics(frame);
  if (auto* error = std::get_if<ws_protocol_error>(&topics))
    return std::move(*error);
  return Message{std::get<std::vector<std::string>>(std::move(topics))};
}

parse_result parse_resume(const json& frame) {
  auto epoch = frame.find("epoch");
  if (epoch == frame.end() || !epoch->is_string())
    return invalid("\"epoch\" must be a string");
  auto since = frame.find("since");
  // nlohmann stores non-negative integers as unsigned; negative and fractional numbers are not.
  if (since == frame.end() || !since->is_number_unsigned())
    return invalid("\"since\" must be a non-negative integer");
  auto topics = read_topics(frame);
  if (auto* error = std::get_if<ws_protocol_error>(&topics))
    return std::move(*error);
  return ws_resume{epoch->get<std::string>(), since->get<std::uint64_t>(),
                   std::get<std::vector<std::string>>(std::move(topics))};
}

std::string render_topics(std::string_view type, const std::vector<std::string>& topics) {
  return dump(json{{"type", type}, {"topics", topics}});
}

std::string_view trim_front(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  return first == std::string_view::npos ? std::string_view{} : text.substr(first);
}

}  // namespace

std::variant<ws_client_message, ws_protocol_error> parse_ws_client_message(std::string_view text) {
  json frame = json::parse(text, nullptr, false);
  if (frame.is_discarded() || !frame.is_object())
    return invalid("a frame must be one JSON object");
  auto type = frame.find("type");
  if (type == frame.end() || !type->is_string())
    return invalid("\"type\" must be a string");
  const auto& name = type->get_ref<const std::string&>();
  if (name == "subscribe")
    return with_topics<ws_subscribe>(frame);
  if (name == "unsubscribe")
    return with_topics<ws_unsubscribe>(frame);
  if (name == "resume")
    return parse_resume(frame);
  if (name == "ping")
    return ws_ping{};
  return invalid("unknown type " + dump(*type));
}

// "<prefix><id>" with a positive int64 id in its one spelling.
bool is_id_topic(std::string_view topic, std::string_view prefix) {
  if (!topic.starts_with(prefix))
    return false;
  auto digits = topic.substr(prefix.size());
  if (digits.empty() || digits.front() == '0' ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  return ec == std::errc{} && end == digits.data() + digits.size() && id > 0;
}

bool is_valid_ws_topic(std::string_view topic) {
  if (topic == "inbox" || topic == "imports" || topic == "sync" || topic == "campaigns")
    return true;
  return is_id_topic(topic, conversation_prefix) || is_id_topic(topic, campaign_prefix);
}

std::string render_ws_hello(std::string_view epoch, std::uint64_t seq, int heartbeat_s) {
  return dump(json{{"type", "hello"}, {"epoch", epoch}, {"seq", seq}, {"heartbeat_s", heartbeat_s}});
}

std::string render_ws_subscribed(const std::vector<std::string>& topics) {
  return render_topics("subscribed", topics);
}

std::string render_ws_unsubscribed(const std::vector<std::string>& topics) {
  return render_topics("unsubscribed", topics);
}

std::string render_ws_event(std::uint64_t seq, std::string_view topic, std::string_view payload) {
  std::string head = R"({"type":"event","seq":)" + std::to_string(seq) + R"(,"topic":)" +
                     dump(json(topic));
  // Every subscriber gets the same payload: splicing its members in avoids parsing it once per
  // connection. Hub payloads are objects rendered by nlohmann; anything else is wrapped.
  auto body = trim_front(payload);
  if (body.starts_with('{')) {
    auto members = trim_front(body.substr(1));
    if (members.starts_with('}'))
      return head + "}";
    if (members.starts_with('"'))
      return head + "," + std::string(members);
  }
  json data = json::parse(payload, nullptr, false);
  if (data.is_discarded())
    data = std::string(payload);
  return head + R"(,"data":)" + dump(data) + "}";
}

std::string render_ws_resumed(std::uint64_t seq) {
  return dump(json{{"type", "resumed"}, {"seq", seq}});
}

std::string render_ws_resync(std::string_view reason) {
  return dump(json{{"type", "resync"}, {"reason", reason}});
}

std::string render_ws_pong() {
  return R"({"type":"pong"})";
}

std::string render_ws_error(std::string_view code, std::string_view message) {
  return dump(json{{"type", "error"}, {"code", code}, {"message", message}});
}

}  // namespace crmd::domain
