#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The /ws protocol (docs/api/websocket.md): client frames parsed into values, server frames
// rendered as text. Pure: no sockets, no actors.
namespace crmd::domain {

// Topics one connection may hold at once; a frame naming more is refused as a whole.
inline constexpr std::size_t ws_max_topics = 50;

struct ws_subscribe {
  std::vector<std::string> topics;  // valid, without duplicates, in the client's order
};
struct ws_unsubscribe {
  std::vector<std::string> topics;
};
struct ws_resume {
  std::string epoch;
  std::uint64_t since = 0;  // the last seq the client saw
  std::vector<std::string> topics;
};
struct ws_ping {};

using ws_client_message = std::variant<ws_subscribe, ws_unsubscribe, ws_resume, ws_ping>;

// Stable error codes sent in {"type":"error","code":…}.
namespace ws_error_code {
inline constexpr std::string_view invalid_message = "invalid_message";
inline constexpr std::string_view unknown_topic = "unknown_topic";
inline constexpr std::string_view too_many_topics = "too_many_topics";
}  // namespace ws_error_code

struct ws_protocol_error {
  std::string code;  // one of ws_error_code
  std::string message;
};

// Never throws: anything that is not a well-formed client frame is a ws_protocol_error.
std::variant<ws_client_message, ws_protocol_error> parse_ws_client_message(std::string_view text);

// "inbox", "imports", "sync", "campaigns", "conversation:<id>" or "campaign:<id>" with a
// positive int64 id written without sign or leading zeros (topics are matched as strings, so
// only one spelling may exist).
bool is_valid_ws_topic(std::string_view topic);

std::string render_ws_hello(std::string_view epoch, std::uint64_t seq, int heartbeat_s);
std::string render_ws_subscribed(const std::vector<std::string>& topics);
std::string render_ws_unsubscribed(const std::vector<std::string>& topics);
// `payload` is a hub frame {"event":…,"data":…}; its members follow type, seq and topic.
std::string render_ws_event(std::uint64_t seq, std::string_view topic, std::string_view payload);
std::string render_ws_resumed(std::uint64_t seq);
std::string render_ws_resync(std::string_view reason);
std::string render_ws_pong();
std::string render_ws_error(std::string_view code, std::string_view message);

}  // namespace crmd::domain
