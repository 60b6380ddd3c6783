#include "actors/hub_actor.hpp"

#include "observability/log.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <map>
#include <vector>

namespace crmd {

namespace {

struct hub_state {
  static constexpr const char* name = "crmd.hub";
  std::map<std::string, std::vector<caf::actor>> topics;
  std::size_t max_subscribers = 0;
};

using hub_ptr = hub_actor::stateful_pointer<hub_state>;

void remove_subscriber(hub_ptr self, const caf::actor_addr& who) {
  for (auto it = self->state.topics.begin(); it != self->state.topics.end();) {
    auto& subscribers = it->second;
    subscribers.erase(std::remove_if(subscribers.begin(), subscribers.end(),
                                     [&](const caf::actor& a) { return a.address() == who; }),
                      subscribers.end());
    it = subscribers.empty() ? self->state.topics.erase(it) : std::next(it);
  }
}

hub_actor::behavior_type hub_behavior(hub_ptr self, std::size_t max_subscribers) {
  self->state.max_subscribers = max_subscribers;
  self->set_down_handler([self](caf::down_msg& down) { remove_subscriber(self, down.source); });
  return {
    [self](atoms::subscribe_atom, const std::string& topic, caf::actor subscriber) {
      auto& subscribers = self->state.topics[topic];
      if (std::find(subscribers.begin(), subscribers.end(), subscriber) != subscribers.end())
        return;
      if (subscribers.size() >= self->state.max_subscribers) {
        // A leak of subscriptions must not grow without bound; the subscriber gets nothing.
        log::warn("hub", "subscription refused: topic is full", {{"topic", topic}});
        return;
      }
      self->monitor(subscriber);
      subscribers.push_back(std::move(subscriber));
    },
    [self](atoms::unsubscribe_atom, const std::string& topic, const caf::actor& subscriber) {
      auto it = self->state.topics.find(topic);
      if (it == self->state.topics.end())
        return;
      auto& subscribers = it->second;
      subscribers.erase(std::remove(subscribers.begin(), subscribers.end(), subscriber),
                        subscribers.end());
      if (subscribers.empty())
        self->state.topics.erase(it);
    },
    [self](atoms::publish_atom, const std::string& topic, const std::string& payload) {
      auto it = self->state.topics.find(topic);
      if (it == self->state.topics.end())
        return;
      for (const auto& subscriber : it->second)
        caf::anon_send(subscriber, atoms::hub_event_atom_v, topic, payload);
    },
    [self](atoms::count_atom, const std::string& topic) -> std::uint64_t {
      auto it = self->state.topics.find(topic);
      return it == self->state.topics.end() ? 0 : it->second.size();
    },
  };
}

}  // namespace

hub_actor spawn_hub_actor(caf::actor_system& system, std::size_t max_subscribers_per_topic) {
  return system.spawn(hub_behavior, max_subscribers_per_topic);
}

}  // namespace crmd
