#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace crmd::tools::ws_fanout {

struct options {
  std::string host = "127.0.0.1";
  std::string port = "8080";
  std::string target = "/ws";
  int connections = 1000;
  std::string cookie;  // Cookie header value, e.g. crm_session=…
  std::string origin;  // Origin header; empty: http://host:port (what the web app sends)
  std::string topic = "inbox";
  std::string trigger;  // shell command run once every client is subscribed
  std::chrono::seconds timeout{60};
  int connect_concurrency = 100;  // handshakes in flight at once
};

// Parses the command line; on a bad or missing argument returns nullopt and sets `error`.
std::optional<options> parse_options(const std::vector<std::string>& args, std::string& error);

const char* usage();

}  // namespace crmd::tools::ws_fanout
