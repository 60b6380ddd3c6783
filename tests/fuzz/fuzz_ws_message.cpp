// libFuzzer target for the /ws client frame parser and the server frame renderers.
//
// Input: one WebSocket text message as a browser could send it.
// Properties:
//   - parse_ws_client_message never crashes and never throws (an escaping exception aborts);
//   - an error carries one of the stable codes and a message, and renders as a JSON error frame;
//   - accepted topics are valid, unique, at most ws_max_topics and never empty, and the
//     subscribed/unsubscribed answers render them back as JSON (round trip);
//   - an event frame rendered around an object payload (without type, seq, topic) or any input
//     that does not look like an object parses as JSON with type, seq and topic, and keeps every
//     member of an object payload.
#include "domain/ws_protocol.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <variant>

namespace {

namespace domain = crmd::domain;
using json = nlohmann::json;

void check(bool holds, const char* property) {
  if (holds)
    return;
  std::fprintf(stderr, "property violated: %s\n", property);
  std::abort();
}

void check_topics(const std::vector<std::string>& topics) {
  check(!topics.empty() && topics.size() <= domain::ws_max_topics, "topic count within limits");
  for (auto it = topics.begin(); it != topics.end(); ++it) {
    check(domain::is_valid_ws_topic(*it), "accepted topics are valid");
    check(std::find(std::next(it), topics.end(), *it) == topics.end(), "topics are unique");
  }
  auto answer = json::parse(domain::render_ws_subscribed(topics));
  check(answer["topics"].get<std::vector<std::string>>() == topics, "subscribed round-trips");
}

void check_event(std::string_view input) {
  // Splicing trusts what looks like an object (hub payloads are rendered by nlohmann and never
  // name type, seq or topic), so the property covers real objects and everything not object-like.
  json payload = json::parse(input, nullptr, false);
  bool object = !payload.is_discarded() && payload.is_object();
  if (object && (payload.contains("type") || payload.contains("seq") || payload.contains("topic")))
    return;
  auto first = input.find_first_not_of(" \t\r\n");
  if (!object && first != std::string_view::npos && input[first] == '{')
    return;
  json frame = json::parse(domain::render_ws_event(42, "conversation:7", input), nullptr, false);
  check(!frame.is_discarded(), "an event frame is JSON");
  check(frame["type"] == "event" && frame["seq"] == 42 && frame["topic"] == "conversation:7",
        "an event frame leads with type, seq and topic");
  if (object)
    check(frame.size() == payload.size() + 3, "an object payload's members are all spliced in");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = domain::parse_ws_client_message(input);
  if (auto* error = std::get_if<domain::ws_protocol_error>(&parsed)) {
    check(error->code == domain::ws_error_code::invalid_message ||
            error->code == domain::ws_error_code::unknown_topic ||
            error->code == domain::ws_error_code::too_many_topics,
          "error codes are the stable three");
    check(!error->message.empty(), "an error says why");
    auto frame = json::parse(domain::render_ws_error(error->code, error->message));
    check(frame["code"] == error->code, "the error frame carries the code");
  } else {
    std::visit(
      [](const auto& message) {
        using type = std::decay_t<decltype(message)>;
        if constexpr (std::is_same_v<type, domain::ws_ping>)
          return;
        else
          check_topics(message.topics);
      },
      std::get<domain::ws_client_message>(parsed));
  }
  check_event(input);
  return 0;
}
