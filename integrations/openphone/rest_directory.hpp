#pragma once

#include "domain/openphone_records.hpp"
#include "integrations/openphone/rest_envelope.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

// OpenPhone REST phone numbers, users and conversations → domain records
// (domain/openphone_records.hpp).
namespace crmd::integrations::openphone {

// PhoneNumber: id, number (E.164, required), name, users[].id.
rest_mapped<domain::openphone_phone_number> map_phone_number(const nlohmann::json& item);

// User: id, email, firstName, lastName, role.
rest_mapped<domain::openphone_user> map_user(const nlohmann::json& item);

// Conversation: id (CN…), phoneNumberId (required), participants (E.164, sorted), name and the
// timestamps.
rest_mapped<domain::openphone_conversation> map_conversation(const nlohmann::json& item);

rest_page<domain::openphone_phone_number> map_phone_number_page(std::string_view body);
rest_page<domain::openphone_user> map_user_page(std::string_view body);
rest_page<domain::openphone_conversation> map_conversation_page(std::string_view body);

}  // namespace crmd::integrations::openphone
