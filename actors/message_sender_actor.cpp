#include "actors/message_sender_actor.hpp"

#include "actors/hub_actor.hpp"
#include "actors/interfaces.hpp"
#include "actors/openphone_client_types.hpp"
#include "integrations/openphone/rest_send.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace crmd {

namespace {

struct sender_state {
  static constexpr const char* name = "crmd.message_sender";
  message_sender_options options;
};

using sender_ptr = caf::stateful_actor<sender_state>*;

// Each row is one frame, {"event", "data"}; activity frames name their conversation.
void publish_frames(sender_ptr self, const storage::pg_result& frames) {
  auto hub = self->system().registry().get<hub_actor>(registry_keys::hub);
  if (!hub)
    return;
  for (const auto& row : frames.rows) {
    if (!row[0])
      continue;
    auto frame = nlohmann::json::parse(*row[0], nullptr, false);
    std::optional<std::string> conversation;
    if (frame.is_object() && frame["data"]["conversation_id"].is_number_integer())
      conversation = std::to_string(frame["data"]["conversation_id"].get<std::int64_t>());
    publish_conversation_frame(hub, *row[0], conversation);
  }
}

void commit(sender_ptr self, std::int64_t activity, storage::statement statement) {
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db) {
    log::error("sender", "no database to record a send's outcome", {{"activity_id", activity}});
    return;
  }
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{std::move(statement)}})
    .then(
      [self, activity](storage::pg_outcome& outcome) {
        if (!outcome.ok()) {
          // The text stays pending; the start-up sweep shows it as failed for a person to check.
          log::error("sender", "recording a send's outcome failed",
                     {{"activity_id", activity}, {"error", outcome.error->message}});
          return;
        }
        publish_frames(self, outcome.results[0]);
      },
      [activity](caf::error& error) {
        log::error("sender", "recording a send's outcome failed",
                   {{"activity_id", activity}, {"error", caf::to_string(error)}});
      });
}

void fail(sender_ptr self, std::int64_t activity, const std::string& reason) {
  log::warn("sender", "text not sent", {{"activity_id", activity}, {"reason", reason}});
  commit(self, activity,
         storage::statement::named("fail_sent_message", {std::to_string(activity), reason}));
}

void send_text(sender_ptr self, std::int64_t activity, std::string body) {
  auto client =
    self->system().registry().get<openphone_client_actor>(registry_keys::openphone);
  if (!client)
    return fail(self, activity, "provider_unavailable");
  provider_request request{.method = "POST", .target = "/v1/messages", .body = std::move(body),
                           .endpoint = "messages.send"};
  self->request(client, caf::infinite, provider_request_atom_v, std::move(request))
    .then(
      [self, activity](provider_result& result) {
        if (auto* failure = std::get_if<provider_failure>(&result))
          return fail(self, activity, failure->code);
        const auto& response = std::get<provider_response>(result);
        auto sent = integrations::openphone::read_sent_message(response.body);
        if (response.status == 404 || !sent.ok())
          return fail(self, activity, response.status == 404 ? "http_404" : "unreadable_answer");
        log::info("sender", "text accepted by the provider",
                  {{"activity_id", activity}, {"openphone_id", sent.value->id}});
        commit(self, activity,
               storage::statement::named("attach_sent_message",
                                         {std::to_string(activity), sent.value->id,
                                          sent.value->status}));
      },
      [self, activity](caf::error& error) { fail(self, activity, caf::to_string(error)); });
}

void sweep_interrupted(sender_ptr self) {
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db)
    return;
  self->request(db, self->state.options.db_timeout, atoms::execute_atom_v,
                db_batch{{storage::statement::named(
                  "fail_interrupted_sends",
                  {std::to_string(self->state.options.interrupted_after.count())})}})
    .then(
      [self](storage::pg_outcome& outcome) {
        if (!outcome.ok())
          return;
        if (!outcome.results[0].rows.empty())
          log::warn("sender", "texts interrupted by a restart are marked failed",
                    {{"count", outcome.results[0].rows.size()}});
        publish_frames(self, outcome.results[0]);
      },
      [](caf::error&) {});
}

caf::behavior sender_behavior(sender_ptr self, message_sender_options options) {
  self->state.options = options;
  self->delayed_send(self, options.interrupted_after, atoms::tick_atom_v);
  return {
    [self](atoms::send_text_atom, std::int64_t activity, std::string body) {
      send_text(self, activity, std::move(body));
    },
    [self](atoms::tick_atom) { sweep_interrupted(self); },
  };
}

}  // namespace

caf::actor spawn_message_sender(caf::actor_system& system, message_sender_options options) {
  return system.spawn(sender_behavior, options);
}

}  // namespace crmd
