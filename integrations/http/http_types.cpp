#include "integrations/http/http_types.hpp"

namespace crmd::http {

std::optional<std::string> http_response::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name)
      return value;
  return std::nullopt;
}

std::string_view to_string(transport_error code) {
  switch (code) {
    case transport_error::timeout: return "timeout";
    case transport_error::invalid_request: return "invalid_request";
    case transport_error::resolve_failed: return "resolve_failed";
    case transport_error::connect_failed: return "connect_failed";
    case transport_error::tls_failed: return "tls_failed";
    case transport_error::connection_closed: return "connection_closed";
    case transport_error::body_too_large: return "body_too_large";
    case transport_error::bad_response: return "bad_response";
    case transport_error::stopped: return "stopped";
  }
  return "unknown";
}

}  // namespace crmd::http
