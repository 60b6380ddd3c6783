#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

// Plain values of the generic HTTP/1.1 client (http_client.hpp): no Beast or Asio here, so
// actors and tests can hold requests and results without compiling either.
namespace crmd::http {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_request {
  std::string method = "GET";
  // A path + query appended to the client's base URL ("/v1/messages?…"), or an absolute
  // http(s) URL for another host (media downloads).
  std::string target;
  header_list headers;
  std::string body;  // sent with Content-Length when not empty
  std::optional<std::chrono::milliseconds> timeout;  // overrides the client's default
};

struct http_response {
  int status = 0;
  header_list headers;  // names lower-cased, in the order received
  std::string body;

  // The first value of a header, by its lower-case name.
  std::optional<std::string> header(std::string_view lower_name) const;
};

// Why no response arrived. The names (to_string) are stable: they become metric labels and the
// retry policy's input.
enum class transport_error {
  timeout,            // the request's deadline passed, at any stage
  invalid_request,    // bad method, URL or header; nothing was sent
  resolve_failed,     // the host name did not resolve
  connect_failed,     // no TCP connection
  tls_failed,         // handshake or certificate verification failed
  connection_closed,  // the connection broke while writing or before the response was complete
  body_too_large,     // the response body exceeded the client's limit
  bad_response,       // the bytes received were not HTTP/1.1
  stopped,            // the client stopped before the request completed
};

std::string_view to_string(transport_error code);

struct http_failure {
  transport_error code = transport_error::stopped;
  std::string message;  // for logs: what the transport said
};

using http_result = std::variant<http_response, http_failure>;

}  // namespace crmd::http
