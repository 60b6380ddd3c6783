#pragma once

#include <caf/fwd.hpp>

#include <chrono>

namespace crmd {

struct message_sender_options {
  // At start, texts pending longer than this were cut off by a restart (see the
  // fail_interrupted_sends query): nothing of ours can still be sending them.
  std::chrono::milliseconds interrupted_after{10000};
  std::chrono::milliseconds db_timeout{30000};
};

// Sends the texts typed in the app. Receives (send_text_atom, activity id, POST /v1/messages
// body) for a pending activity already committed; calls OpenPhone through the client actor
// (its token bucket; a send is never repeated where the provider may have received it) and
// commits the outcome: the provider's id attached (attach_sent_message) or the failure
// recorded. Publishes the resulting frames on `inbox` and `conversation:<id>`.
caf::actor spawn_message_sender(caf::actor_system& system, message_sender_options options);

}  // namespace crmd
