#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// A real HTTP/1.1 server on 127.0.0.1 (ephemeral port) for client tests: it answers requests,
// in arrival order, with the next entry of a script, and records what arrived and when.
// Keep-alive is honoured, so tests can see connection reuse.
namespace crmd::testing {

struct scripted_response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // waited before anything is written
  bool drop_mid_body = false;          // headers and half the body, then the connection closes
  bool close = false;                  // "Connection: close", then the connection closes
};

struct recorded_request {
  std::chrono::steady_clock::time_point arrived;  // when the whole request had been read
  std::string method;
  std::string target;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::size_t connection = 0;  // 1 for the first accepted connection, 2 for the next, …

  std::optional<std::string> header(const std::string& lower_name) const;
};

class scripted_http_server {
 public:
  explicit scripted_http_server(std::vector<scripted_response> script = {});
  ~scripted_http_server();
  scripted_http_server(const scripted_http_server&) = delete;
  scripted_http_server& operator=(const scripted_http_server&) = delete;

  std::uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:<port>"

  void push(scripted_response response);
  // Used once the script is spent; by default 500 "script exhausted".
  void set_fallback(scripted_response response);

  std::vector<recorded_request> requests() const;
  std::size_t connections() const;
  // Blocks until `count` requests have arrived or `timeout` passes; false on timeout.
  bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crmd::testing
