#pragma once

#include "integrations/http/http_types.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

// A generic asynchronous HTTP/1.1 client (Beast + OpenSSL behind a pimpl, so this header stays
// free of both). It owns one io thread. Per request: resolve, connect, TLS handshake (SNI,
// certificate checked against the system store and the host name), write, read, all under one
// deadline; keep-alive connections are pooled per origin; response bodies are capped.
namespace crmd::http {

struct http_client_config {
  std::string base_url;  // http://host[:port][/prefix] or https://…; request targets append
  std::chrono::milliseconds timeout{15000};  // per request, from start to the last body byte
  std::size_t body_limit = 16 * 1024 * 1024;
  std::size_t max_idle_per_origin = 4;
  std::chrono::milliseconds idle_timeout{30000};  // pooled connections older than this close
  std::string user_agent = "crmd";
};

class http_client {
 public:
  using callback = std::function<void(http_result)>;

  explicit http_client(http_client_config config);
  ~http_client();  // stop()
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  // Starts the io thread. A client can be started again after stop().
  void start();

  // Closes every connection and joins the io thread. Each request not yet completed gets
  // `stopped`, on the stopping thread, before stop() returns.
  void stop();

  // Thread-safe. `done` runs exactly once, on the io thread, with a response (any status) or a
  // transport failure; it never receives an exception, and one it throws is logged and
  // contained. A client that is not running, or a target that is not a valid URL once
  // appended to the base, completes at once on the caller's thread (stopped / invalid_request).
  void send(http_request request, callback done);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crmd::http
