#include "integrations/openphone/statuses.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace crmd::integrations::openphone {

namespace {

constexpr std::array<std::string_view, 6> message_statuses{"queued",      "sent",     "delivered",
                                                           "undelivered", "received", "failed"};
constexpr std::array<std::string_view, 13> call_statuses{
    "queued",    "initiated", "ringing", "in-progress", "completed", "busy",     "failed",
    "no-answer", "canceled",  "missed",  "answered",    "forwarded", "abandoned"};

template <std::size_t N>
std::optional<std::string> known(const std::optional<std::string>& status,
                                 const std::array<std::string_view, N>& allowed) {
  if (status && std::find(allowed.begin(), allowed.end(), *status) != allowed.end())
    return status;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> known_message_status(const std::optional<std::string>& status) {
  return known(status, message_statuses);
}

std::optional<std::string> known_call_status(const std::optional<std::string>& status) {
  return known(status, call_statuses);
}

std::optional<std::string> content_status(const std::optional<std::string>& status) {
  if (!status)
    return std::nullopt;
  if (*status == "completed" || *status == "failed")
    return status;
  if (*status == "absent" || *status == "in-progress")
    return "pending";
  return std::nullopt;
}

}  // namespace crmd::integrations::openphone
