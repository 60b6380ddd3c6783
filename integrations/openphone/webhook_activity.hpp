#pragma once

#include "domain/webhook_event.hpp"
#include "integrations/openphone/webhook_parser.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

// Maps the `data.object` of message and call events (and the call-scoped summary, transcript
// and recording events) onto domain::activity_change. Internal to webhook_parser.
namespace crmd::integrations::openphone {

enum class activity_kind { message, call, recording, summary, transcript };

// nullopt with `error` set when the object breaks a rule.
std::optional<domain::activity_change> read_activity(activity_kind kind,
                                                     const nlohmann::json& object,
                                                     const parse_options& options,
                                                     std::string& error);

}  // namespace crmd::integrations::openphone
