#include "actors/ws_client_actor.hpp"

#include "actors/monitor_while_alive.hpp"
#include "domain/ws_protocol.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <variant>

namespace crmd {

namespace {

// Client frames that may wait while hello or a replay is in flight; a client that piles up more
// without waiting for answers is misbehaving.
constexpr std::size_t max_waiting_frames = 32;

struct ws_client_state {
  static constexpr const char* name = "crmd.ws_client";
  std::shared_ptr<net::ws_connection> connection;
  ws_client_options options;
  hub_actor hub;
  std::set<std::string> topics;
  // Per topic, the seq of the last event sent: live events of a topic arrive in seq order, so
  // anything at or below it is a duplicate (a replay overlapping what was already live).
  std::map<std::string, std::uint64_t> last_sent;
  bool busy = true;  // hello or a replay is in flight: client frames wait in order
  std::deque<std::string> waiting;
  // While a replay is in flight, live events wait here to be merged with it by seq.
  std::optional<std::map<std::uint64_t, hub_event>> held;
};

using client_ptr = ws_client_actor::stateful_pointer<ws_client_state>;

void handle_frame(client_ptr self, const std::string& text);

void send(client_ptr self, std::string frame) {
  // False means closed or too slow; the connection then reports its close with ws_closed_atom.
  self->state.connection->send(std::move(frame));
}

void emit(client_ptr self, const hub_event& event) {
  auto& state = self->state;
  if (!state.topics.contains(event.topic))
    return;  // unsubscribed while it was on its way
  auto& last = state.last_sent[event.topic];
  if (event.seq <= last)
    return;
  last = event.seq;
  send(self, domain::render_ws_event(event.seq, event.topic, event.payload));
}

// Hello or a replay is done: handle the frames that waited, until one starts a replay again.
void become_ready(client_ptr self) {
  auto& state = self->state;
  state.busy = false;
  while (!state.busy && !state.waiting.empty()) {
    auto text = std::move(state.waiting.front());
    state.waiting.pop_front();
    handle_frame(self, text);
  }
}

// Adds the topics (subscribing the new ones at the hub); false with an error frame when the
// connection would hold too many.
bool add_topics(client_ptr self, const std::vector<std::string>& topics) {
  auto& state = self->state;
  std::size_t total = state.topics.size();
  for (const auto& topic : topics)
    total += state.topics.contains(topic) ? 0 : 1;
  if (total > domain::ws_max_topics) {
    send(self, domain::render_ws_error(domain::ws_error_code::too_many_topics,
                                       "a connection holds at most " +
                                         std::to_string(domain::ws_max_topics) + " topics"));
    return false;
  }
  auto subscriber = caf::actor_cast<caf::actor>(self);
  for (const auto& topic : topics) {
    if (state.topics.insert(topic).second)
      self->send(state.hub, atoms::subscribe_atom_v, topic, subscriber);
  }
  return true;
}

void remove_topics(client_ptr self, const std::vector<std::string>& topics) {
  auto& state = self->state;
  auto subscriber = caf::actor_cast<caf::actor>(self);
  for (const auto& topic : topics) {
    if (state.topics.erase(topic) == 0)
      continue;
    state.last_sent.erase(topic);
    self->send(state.hub, atoms::unsubscribe_atom_v, topic, subscriber);
  }
}

void finish_replay(client_ptr self, const hub_replay& answer) {
  auto held = std::move(*self->state.held);
  self->state.held.reset();
  if (answer.gone) {
    send(self, domain::render_ws_resync(answer.reason));
  } else {
    for (const auto& event : answer.events)
      held.emplace(event.seq, event);  // a live copy of the same seq is the same event
  }
  for (const auto& [seq, event] : held)
    emit(self, event);
  if (!answer.gone)
    send(self, domain::render_ws_resumed(answer.latest));
  become_ready(self);
}

// The subscriptions go to the hub before the replay request, and the hub handles its messages in
// order: every event after the replay's snapshot comes live, and the overlap is merged by seq.
void resume(client_ptr self, const domain::ws_resume& request) {
  if (!add_topics(self, request.topics))
    return;
  auto& state = self->state;
  state.busy = true;
  state.held.emplace();
  self->request(state.hub, state.options.hub_timeout, atoms::replay_atom_v, request.epoch,
                request.since, request.topics)
    .then([self](hub_replay& answer) { finish_replay(self, answer); },
          [self](caf::error& error) {
            log::warn("ws", "replay failed", {{"error", caf::to_string(error)}});
            finish_replay(self, hub_replay{.gone = true, .reason = "unavailable"});
          });
}

void handle_frame(client_ptr self, const std::string& text) {
  auto parsed = domain::parse_ws_client_message(text);
  if (auto* error = std::get_if<domain::ws_protocol_error>(&parsed)) {
    send(self, domain::render_ws_error(error->code, error->message));
    return;
  }
  std::visit(
    [self](const auto& message) {
      using type = std::decay_t<decltype(message)>;
      if constexpr (std::is_same_v<type, domain::ws_subscribe>) {
        if (add_topics(self, message.topics))
          send(self, domain::render_ws_subscribed(message.topics));
      } else if constexpr (std::is_same_v<type, domain::ws_unsubscribe>) {
        remove_topics(self, message.topics);
        send(self, domain::render_ws_unsubscribed(message.topics));
      } else if constexpr (std::is_same_v<type, domain::ws_resume>) {
        resume(self, message);
      } else {
        send(self, domain::render_ws_pong());
      }
    },
    std::get<domain::ws_client_message>(parsed));
}

void say_hello(client_ptr self) {
  self->request(self->state.hub, self->state.options.hub_timeout, atoms::position_atom_v)
    .then(
      [self](hub_position& position) {
        send(self, domain::render_ws_hello(position.epoch, position.seq,
                                           self->state.options.heartbeat_s));
        become_ready(self);
      },
      [self](caf::error& error) {
        log::warn("ws", "hub did not answer hello", {{"error", caf::to_string(error)}});
        self->state.connection->close(net::ws_close_code::try_again_later, "hub unavailable");
        self->quit();
      });
}

ws_client_actor::behavior_type ws_client_behavior(client_ptr self,
                                                  std::shared_ptr<net::ws_connection> connection,
                                                  ws_client_options options) {
  self->state.connection = connection;
  self->state.options = options;
  // Whatever ends this actor other than the connection's own close must not leave it open.
  self->attach_functor([connection](const caf::error& reason) {
    if (reason != caf::exit_reason::normal)
      connection->close(net::ws_close_code::internal_error, "internal error");
  });
  if (auto hub = self->system().registry().get<hub_actor>(registry_keys::hub)) {
    self->state.hub = hub;
    monitor_while_alive(self, hub.address());
    self->set_down_handler([self](caf::down_msg& down) {
      if (down.source != self->state.hub.address())
        return;
      // A new hub has a new epoch and none of our subscriptions: the client reconnects and
      // resyncs.
      self->state.connection->close(net::ws_close_code::service_restart, "hub restarted");
      self->quit();
    });
    say_hello(self);
  } else {
    connection->close(net::ws_close_code::try_again_later, "hub unavailable");
    self->quit();
  }
  return {
    [self](atoms::ws_frame_atom, const std::string& text) {
      auto& state = self->state;
      if (!state.busy)
        return handle_frame(self, text);
      if (state.waiting.size() >= max_waiting_frames) {
        state.connection->close(net::ws_close_code::policy, "too many frames in flight");
        return;
      }
      state.waiting.push_back(text);
    },
    [self](atoms::ws_closed_atom) { self->quit(); },
    [self](atoms::hub_event_atom, const std::string& topic, std::uint64_t seq,
           const std::string& payload) {
      auto& state = self->state;
      if (state.held)
        state.held->emplace(seq, hub_event{seq, topic, payload});
      else
        emit(self, hub_event{seq, topic, payload});
    },
  };
}

}  // namespace

ws_client_actor spawn_ws_client(caf::actor_system& system,
                                std::shared_ptr<net::ws_connection> connection,
                                ws_client_options options) {
  return system.spawn(ws_client_behavior, std::move(connection), options);
}

}  // namespace crmd
