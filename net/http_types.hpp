#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Plain HTTP request/response values handed to route handlers, so handlers and their tests never
// include Beast.
namespace crmd::net {

struct http_request {
  std::string method;  // upper case, e.g. "GET"
  std::string target;  // as received: path plus optional query
  std::string path;    // percent-decoded path without the query
  std::string query;   // raw query string without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_address;
  std::string request_id;                         // from X-Request-Id or generated
  std::map<std::string, std::string> path_params;  // filled by the router, e.g. {id}

  // First header with this (lower-case) name.
  std::optional<std::string_view> header(std::string_view lower_name) const;
  // Decoded value of a query parameter.
  std::optional<std::string> query_param(std::string_view name) const;
};

struct http_response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Completes a request exactly once; may be called from any thread.
using responder = std::function<void(http_response)>;
using handler = std::function<void(http_request&& request, responder respond)>;

// {"error":{"code":"<code>","message":"<message>"}} with the given status.
http_response error_response(unsigned status, std::string_view code, std::string_view message);
http_response json_response(unsigned status, std::string body);

// Decodes %XX escapes (malformed escapes stay literal); `plus_is_space` for query strings.
std::string percent_decode(std::string_view text, bool plus_is_space = false);

}  // namespace crmd::net
