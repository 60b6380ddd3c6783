#include "tools/llm-emulator/options.hpp"

#include <charconv>
#include <stdexcept>

namespace crmd::llm_emulator {

namespace {

template <class T>
T number(const std::string& flag, const std::string& text, T min, T max) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !(value >= min) || value > max)
    throw std::invalid_argument(flag + " wants a number from " + std::to_string(min) + " to "
                                + std::to_string(max) + ", not '" + text + "'");
  return value;
}

void listen_on(options& o, const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw std::invalid_argument("--listen wants HOST:PORT, not '" + text + "'");
  o.host = text.substr(0, colon);
  if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']')
    o.host = o.host.substr(1, o.host.size() - 2);
  o.port = number<std::uint16_t>("--listen port", text.substr(colon + 1), 0, 65535);
}

}  // namespace

options parse_options(const std::vector<std::string>& arguments) {
  options o;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const auto& name = arguments[i];
    if (name == "--help" || name == "-h") {
      o.help = true;
      continue;
    }
    if (i + 1 >= arguments.size())
      throw std::invalid_argument(name + ": unknown flag or missing value (see --help)");
    const auto& value = arguments[++i];
    if (name == "--listen")
      listen_on(o, value);
    else if (name == "--key")
      o.key = value;
    else if (name == "--rate-limit")
      o.rate_limit = number<double>(name, value, 0, 1e6);
    else if (name == "--fail-rate")
      o.fail_rate = number<double>(name, value, 0, 1);
    else if (name == "--slow-ms")
      o.slow = std::chrono::milliseconds{number<long>(name, value, 0, 600000)};
    else if (name == "--drop-rate")
      o.drop_rate = number<double>(name, value, 0, 1);
    else if (name == "--seed")
      o.seed = number<std::uint64_t>(name, value, 0, UINT64_MAX);
    else
      throw std::invalid_argument(name + ": unknown flag (see --help)");
  }
  return o;
}

std::string usage() {
  return R"(llm-emulator: an OpenAI-compatible chat-completions server for crmd's reply classifier.

  POST /v1/chat/completions   a completion whose content is {"classification","reason"},
                              decided by keywords in the user message's "reply"
  GET  /_emulator/requests    {"count":N,"by_status":{…},"max_in_flight":N}

Flags:
  --listen HOST:PORT   where to listen (default 127.0.0.1:0, an ephemeral port); the bound port
                       is printed on stdout as {"event":"listening","port":N}
  --key KEY            the expected "Authorization: Bearer KEY" (default: accept any)
  --rate-limit N       completions per second before answering 429 with Retry-After (0: none)
  --fail-rate P        share (0..1) of completions answered 500 or 503
  --slow-ms MS         wait this long before every completion answer
  --drop-rate P        share (0..1) of completions whose connection closes mid-body
  --seed S             seed of the failure and drop draws (default 1)
)";
}

}  // namespace crmd::llm_emulator
