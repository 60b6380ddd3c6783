#pragma once

#include <optional>
#include <string>

// OpenPhone's status values, as both the webhook and the REST mappers read them. An unknown
// status says nothing (nullopt) rather than failing the event or item: OpenPhone adds values.
namespace crmd::integrations::openphone {

// The provider's status when it is one the schema knows.
std::optional<std::string> known_message_status(const std::optional<std::string>& status);
std::optional<std::string> known_call_status(const std::optional<std::string>& status);

// Summary/transcript job status (absent | in-progress | completed | failed) → the schema's
// pending / completed / failed: it keeps only whether the content is there yet.
std::optional<std::string> content_status(const std::optional<std::string>& status);

}  // namespace crmd::integrations::openphone
