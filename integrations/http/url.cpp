#include "integrations/http/url.hpp"

#include <charconv>

namespace crmd::http {

namespace {

bool forbidden(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte <= 0x20 || byte == 0x7F || c == '#';
}

}  // namespace

std::string origin::key() const {
  return (tls ? "https://" : "http://") + host_header() + ":" + std::to_string(port);
}

std::string origin::host_header() const {
  std::string name = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  bool default_port = port == (tls ? 443 : 80);
  return default_port ? name : name + ":" + std::to_string(port);
}

bool origin::host_is_ip() const {
  if (host.find(':') != std::string::npos)
    return true;
  return host.find_first_not_of("0123456789.") == std::string::npos;
}

std::optional<parsed_url> parse_url(std::string_view url) {
  for (char c : url)
    if (forbidden(c))
      return std::nullopt;
  parsed_url out;
  if (url.starts_with("https://")) {
    out.where.tls = true;
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  auto slash = url.find_first_of("/?");
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) {
    out.path = std::string(url.substr(slash));
    if (out.path.front() == '?')
      out.path.insert(out.path.begin(), '/');
  }
  if (authority.find('@') != std::string_view::npos)
    return std::nullopt;

  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with("[")) {
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return std::nullopt;
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.size() < 2 || rest.front() != ':')
        return std::nullopt;
      port = rest.substr(1);
    }
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    // An IPv6 literal needs brackets; an empty port is a typo.
    if (port.empty() || port.find(':') != std::string_view::npos)
      return std::nullopt;
  }
  if (host.empty())
    return std::nullopt;
  out.where.host = std::string(host);
  out.where.port = out.where.tls ? 443 : 80;
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535)
      return std::nullopt;
    out.where.port = static_cast<std::uint16_t>(value);
  }
  return out;
}

}  // namespace crmd::http
