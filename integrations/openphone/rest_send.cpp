#include "integrations/openphone/rest_send.hpp"

#include "integrations/openphone/statuses.hpp"

namespace crmd::integrations::openphone {

std::string send_message_body(const text_to_send& text) {
  nlohmann::json body = {{"content", text.content}, {"from", text.from}, {"to", text.to}};
  if (!text.user_id.empty())
    body["userId"] = text.user_id;
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

rest_mapped<sent_message> read_sent_message(std::string_view body) {
  return map_single<sent_message>(body, [](const nlohmann::json& data) {
    auto id = data.find("id");
    if (id == data.end() || !id->is_string() || id->get_ref<const std::string&>().empty())
      return rest_failure<sent_message>("the sent message has no id");
    std::optional<std::string> status;
    if (auto field = data.find("status"); field != data.end() && field->is_string())
      status = field->get<std::string>();
    return rest_mapped<sent_message>{
      sent_message{id->get<std::string>(), known_message_status(status).value_or("queued")}, {}};
  });
}

}  // namespace crmd::integrations::openphone
