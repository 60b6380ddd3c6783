#include "net/websocket.hpp"

#include <algorithm>
#include <cctype>

namespace crmd::net {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void strip_suffix(std::string& text, std::string_view suffix) {
  if (text.size() > suffix.size() && text.ends_with(suffix))
    text.resize(text.size() - suffix.size());
}

}  // namespace

bool origin_matches_host(std::string_view origin, std::string_view host) {
  auto separator = origin.find("://");
  if (separator == std::string_view::npos || host.empty())
    return false;
  std::string scheme = lower(origin.substr(0, separator));
  std::string origin_host = lower(origin.substr(separator + 3));
  std::string request_host = lower(host);
  // Browsers leave the scheme's default port out of Origin; a proxy may keep it in Host.
  std::string_view default_port = scheme == "https" ? ":443" : scheme == "http" ? ":80" : "";
  if (default_port.empty() || origin_host.find('/') != std::string::npos)
    return false;
  strip_suffix(origin_host, default_port);
  strip_suffix(request_host, default_port);
  return origin_host == request_host;
}

}  // namespace crmd::net
