#include "app/message_routes.hpp"

#include "actors/hub_actor.hpp"
#include "actors/interfaces.hpp"
#include "actors/openphone_client_types.hpp"
#include "app/api_support.hpp"
#include "app/session_guard.hpp"
#include "domain/outgoing_text.hpp"
#include "integrations/openphone/rest_send.hpp"
#include "storage/pg_pool.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace crmd::app {

namespace {

void publish(caf::actor_system& actors, const std::string& conversation, const std::string& frame) {
  if (auto hub = actors.registry().get<hub_actor>(registry_keys::hub))
    publish_conversation_frame(hub, frame, conversation);
}

void send(caf::actor_system& actors, storage::pg_pool& pool, const net::http_request& request,
          const principal& user, net::responder respond) {
  auto conversation = path_id(request, "id", "conversation");
  if (auto* error = std::get_if<net::http_response>(&conversation))
    return respond(std::move(*error));
  auto text = domain::validate_outgoing_text(request.body);
  if (auto* error = std::get_if<domain::outgoing_text_error>(&text))
    return respond(net::error_response(400, error->code, error->message));
  auto key = domain::validate_idempotency_key(request.header("idempotency-key"));
  if (auto* error = std::get_if<domain::outgoing_text_error>(&key))
    return respond(net::error_response(400, error->code, error->message));
  // Keys are the caller's: two users' equal keys are different texts.
  storage::pg_value send_key;
  if (auto& given = std::get<std::optional<std::string>>(key))
    send_key = std::to_string(user.user_id) + ":" + *given;
  auto content = std::get<std::string>(text);
  auto conversation_text = std::to_string(std::get<std::int64_t>(conversation));
  pool.execute(
    {storage::statement::named("queue_outgoing_message",
                               {conversation_text, std::to_string(user.user_id), content,
                                send_key})},
    [&actors, respond, content, conversation_text](storage::pg_outcome outcome) {
      if (!outcome.ok())
        return respond(database_unavailable());
      const auto& rows = outcome.results[0].rows;
      if (rows.empty())
        return respond(net::error_response(404, "not_found", "no conversation with this id"));
      // activity_id, activity, created, contact_opted_out, from_number_id, recipients,
      // sender_provider_id, conversation_frame
      const auto& row = rows[0];
      if (row[3] == "t")
        return respond(net::error_response(409, "contact_opted_out",
                                           "this contact opted out of texts"));
      if (!row[4])
        return respond(net::error_response(409, "no_sending_number",
                                           "the conversation has no phone number of ours to send from"));
      auto activity = row[1].value_or("{}");
      if (row[2] == "t") {
        integrations::openphone::text_to_send outgoing{
          .content = content, .from = *row[4], .user_id = row[6].value_or("")};
        auto recipients = nlohmann::json::parse(row[5].value_or("[]"), nullptr, false);
        for (const auto& number : recipients)
          if (number.is_string())
            outgoing.to.push_back(number.get<std::string>());
        auto id = std::stoll(row[0].value_or("0"));
        publish(actors, conversation_text,
                R"({"event":"activity.created","data":)" + activity + "}");
        publish(actors, conversation_text, row[7].value_or("{}"));
        if (auto sender = actors.registry().get(registry_keys::sender))
          caf::anon_send(caf::actor_cast<caf::actor>(sender), atoms::send_text_atom_v, id,
                         integrations::openphone::send_message_body(outgoing));
      }
      respond(net::json_response(202, std::move(activity)));
    });
}

}  // namespace

void add_message_routes(net::router& routes, const session_guard& guard, caf::actor_system& actors,
                        storage::pg_pool& pool) {
  routes.add("POST", "/api/v1/conversations/{id}/messages", "conversations_send",
             guard.protect([&actors, &pool](net::http_request&& request, principal user,
                                            net::responder respond) {
               send(actors, pool, request, user, std::move(respond));
             }));
}

}  // namespace crmd::app
