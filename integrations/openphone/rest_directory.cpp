#include "integrations/openphone/rest_directory.hpp"

#include "integrations/openphone/rest_fields.hpp"

namespace crmd::integrations::openphone {

namespace {

using nlohmann::json;

std::vector<std::string> user_ids(field_reader& reader) {
  std::vector<std::string> ids;
  const auto* users = reader.array("users");
  if (users == nullptr)
    return ids;
  for (const auto& user : *users) {
    if (!user.is_object()) {
      reader.fail("users", "must hold only objects");
      return {};
    }
    if (auto id = reader.nested(user, "users[]").required_string("id"))
      ids.push_back(std::move(*id));
  }
  return ids;
}

}  // namespace

rest_mapped<domain::openphone_phone_number> map_phone_number(const json& item) {
  using record = domain::openphone_phone_number;
  if (!item.is_object())
    return rest_failure<record>("phone number must be an object");
  std::string error;
  field_reader reader(item, "phoneNumber", error);
  record number;
  if (auto id = reader.required_string("id"))
    number.openphone_id = std::move(*id);
  if (auto e164_number = e164(reader, "number"))
    number.number = std::move(*e164_number);
  else
    reader.fail("number", "is required");
  number.name = reader.string("name");
  number.user_ids = user_ids(reader);
  return reader_result(reader, error, std::move(number));
}

rest_mapped<domain::openphone_user> map_user(const json& item) {
  using record = domain::openphone_user;
  if (!item.is_object())
    return rest_failure<record>("user must be an object");
  std::string error;
  field_reader reader(item, "user", error);
  record user;
  if (auto id = reader.required_string("id"))
    user.openphone_id = std::move(*id);
  user.email = reader.string("email");
  user.first_name = reader.string("firstName");
  user.last_name = reader.string("lastName");
  user.role = reader.string("role");
  return reader_result(reader, error, std::move(user));
}

rest_mapped<domain::openphone_conversation> map_conversation(const json& item) {
  using record = domain::openphone_conversation;
  if (!item.is_object())
    return rest_failure<record>("conversation must be an object");
  std::string error;
  field_reader reader(item, "conversation", error);
  record conversation;
  if (auto id = reader.required_string("id"))
    conversation.openphone_id = std::move(*id);
  if (auto phone_number_id = reader.required_string("phoneNumberId"))
    conversation.phone_number_id = std::move(*phone_number_id);
  conversation.participants = e164_list(reader, "participants");
  sort_unique(conversation.participants);
  conversation.name = reader.string("name");
  conversation.created_at = reader.timestamp("createdAt");
  conversation.updated_at = reader.timestamp("updatedAt");
  conversation.last_activity_at = reader.timestamp("lastActivityAt");
  conversation.last_activity_id = reader.string("lastActivityId");
  if (!reader.failed() && conversation.participants.empty())
    reader.fail("participants", "name no E.164 party");
  return reader_result(reader, error, std::move(conversation));
}

rest_page<domain::openphone_phone_number> map_phone_number_page(std::string_view body) {
  return map_list<domain::openphone_phone_number>(body, map_phone_number);
}

rest_page<domain::openphone_user> map_user_page(std::string_view body) {
  return map_list<domain::openphone_user>(body, map_user);
}

rest_page<domain::openphone_conversation> map_conversation_page(std::string_view body) {
  return map_list<domain::openphone_conversation>(body, map_conversation);
}

}  // namespace crmd::integrations::openphone
