#include "tools/ws-fanout/options.hpp"

#include <charconv>

namespace crmd::tools::ws_fanout {

namespace {

std::optional<int> positive(const std::string& text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value <= 0)
    return std::nullopt;
  return value;
}

// ws://host[:port][/path]; TLS is out of scope (the bench runs next to crmd).
bool parse_url(const std::string& url, options& out) {
  constexpr std::string_view scheme = "ws://";
  if (!url.starts_with(scheme))
    return false;
  std::string rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  out.target = slash == std::string::npos ? "/" : rest.substr(slash);
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
    out.host = authority.substr(0, colon);
    out.port = authority.substr(colon + 1);
  } else {
    out.host = authority;
    out.port = "80";
  }
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']')
    out.host = out.host.substr(1, out.host.size() - 2);
  return !out.host.empty() && positive(out.port).has_value();
}

}  // namespace

const char* usage() {
  return "usage: ws-fanout --url ws://HOST:PORT/ws --trigger 'COMMAND' [--connections N]\n"
         "                 [--cookie 'crm_session=…'] [--origin URL] [--topic inbox]\n"
         "                 [--timeout SECONDS] [--concurrency N]\n"
         "Opens N WebSocket connections (default 1000), subscribes each to the topic, runs the\n"
         "trigger command once all are subscribed, and prints how long each client took to\n"
         "receive its first event frame after the trigger started.\n";
}

std::optional<options> parse_options(const std::vector<std::string>& args, std::string& error) {
  options out;
  bool have_url = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& name = args[i];
    if (i + 1 >= args.size()) {
      error = name + ": missing value";
      return std::nullopt;
    }
    const std::string& value = args[++i];
    if (name == "--url") {
      if (!parse_url(value, out)) {
        error = "--url: expected ws://host[:port]/path";
        return std::nullopt;
      }
      have_url = true;
    } else if (name == "--connections" || name == "-n" || name == "--timeout" ||
               name == "--concurrency") {
      auto number = positive(value);
      if (!number) {
        error = name + ": expected a positive integer";
        return std::nullopt;
      }
      if (name == "--timeout")
        out.timeout = std::chrono::seconds(*number);
      else if (name == "--concurrency")
        out.connect_concurrency = *number;
      else
        out.connections = *number;
    } else if (name == "--cookie") {
      out.cookie = value;
    } else if (name == "--origin") {
      out.origin = value;
    } else if (name == "--topic") {
      out.topic = value;
    } else if (name == "--trigger") {
      out.trigger = value;
    } else {
      error = "unknown argument " + name;
      return std::nullopt;
    }
  }
  if (!have_url || out.trigger.empty()) {
    error = "--url and --trigger are required";
    return std::nullopt;
  }
  if (out.origin.empty())
    out.origin = "http://" + out.host + (out.port == "80" ? "" : ":" + out.port);
  return out;
}

}  // namespace crmd::tools::ws_fanout
