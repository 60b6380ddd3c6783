#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Splits the absolute http(s) URLs the client is given. Internal to crmd_http_client.
namespace crmd::http {

// Where a connection goes; connections are pooled per origin.
struct origin {
  bool tls = false;
  std::string host;  // a name or an IP literal, IPv6 without brackets
  std::uint16_t port = 0;

  std::string key() const;          // "https://host:443"
  std::string host_header() const;  // "host" or "host:port" (IPv6 in brackets)
  bool host_is_ip() const;
};

struct parsed_url {
  origin where;
  std::string path;  // from the first '/' on (query included), "" when the URL has none
};

// `http://` or `https://`, a host, an optional port and an optional path. No user info, no
// fragment, no whitespace or control characters anywhere.
std::optional<parsed_url> parse_url(std::string_view url);

}  // namespace crmd::http
