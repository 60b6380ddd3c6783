#include "actors/hub_actor.hpp"

#include "observability/log.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <random>
#include <vector>

namespace crmd {

namespace {

struct hub_state {
  static constexpr const char* name = "crmd.hub";
  std::map<std::string, std::vector<caf::actor>> topics;
  hub_options options;
  std::string epoch;
  std::uint64_t seq = 0;           // of the latest publish
  std::deque<hub_event> retained;  // the latest publishes, oldest first, seqs consecutive
};

using hub_ptr = hub_actor::stateful_pointer<hub_state>;

std::string random_epoch() {
  std::random_device random;
  std::uint64_t value = (std::uint64_t{random()} << 32) | random();
  static constexpr char digits[] = "0123456789abcdef";
  std::string epoch(16, '0');
  for (char& c : epoch) {
    c = digits[value & 0xf];
    value >>= 4;
  }
  return epoch;
}

void remove_subscriber(hub_ptr self, const caf::actor_addr& who) {
  for (auto it = self->state.topics.begin(); it != self->state.topics.end();) {
    auto& subscribers = it->second;
    subscribers.erase(std::remove_if(subscribers.begin(), subscribers.end(),
                                     [&](const caf::actor& a) { return a.address() == who; }),
                      subscribers.end());
    it = subscribers.empty() ? self->state.topics.erase(it) : std::next(it);
  }
}

void retain(hub_state& state, hub_event event) {
  if (state.options.replay_events == 0)
    return;
  if (state.retained.size() == state.options.replay_events)
    state.retained.pop_front();
  state.retained.push_back(std::move(event));
}

hub_replay replay(const hub_state& state, const std::string& epoch, std::uint64_t since,
                  const std::vector<std::string>& topics) {
  hub_replay answer;
  answer.latest = state.seq;
  // Seqs are consecutive, so the oldest retained one tells whether anything after `since` is lost.
  std::uint64_t oldest = state.retained.empty() ? state.seq + 1 : state.retained.front().seq;
  if (epoch != state.epoch || since > state.seq) {
    answer.gone = true;
    answer.reason = "epoch";
    return answer;
  }
  if (since + 1 < oldest) {
    answer.gone = true;
    answer.reason = "evicted";
    return answer;
  }
  for (auto it = state.retained.begin() + static_cast<std::ptrdiff_t>(since + 1 - oldest);
       it != state.retained.end(); ++it) {
    if (std::find(topics.begin(), topics.end(), it->topic) != topics.end())
      answer.events.push_back(*it);
  }
  return answer;
}

hub_actor::behavior_type hub_behavior(hub_ptr self, hub_options options) {
  self->state.options = options;
  self->state.epoch = random_epoch();
  self->set_down_handler([self](caf::down_msg& down) { remove_subscriber(self, down.source); });
  return {
    [self](atoms::subscribe_atom, const std::string& topic, caf::actor subscriber) {
      auto& subscribers = self->state.topics[topic];
      if (std::find(subscribers.begin(), subscribers.end(), subscriber) != subscribers.end())
        return;
      if (subscribers.size() >= self->state.options.max_subscribers_per_topic) {
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
      auto seq = ++self->state.seq;
      retain(self->state, hub_event{seq, topic, payload});
      auto it = self->state.topics.find(topic);
      if (it == self->state.topics.end())
        return;
      for (const auto& subscriber : it->second)
        caf::anon_send(subscriber, atoms::hub_event_atom_v, topic, seq, payload);
    },
    [self](atoms::count_atom, const std::string& topic) -> std::uint64_t {
      auto it = self->state.topics.find(topic);
      return it == self->state.topics.end() ? 0 : it->second.size();
    },
    [self](atoms::position_atom) {
      return hub_position{self->state.epoch, self->state.seq};
    },
    [self](atoms::replay_atom, const std::string& epoch, std::uint64_t since,
           const std::vector<std::string>& topics) {
      return replay(self->state, epoch, since, topics);
    },
  };
}

}  // namespace

hub_actor spawn_hub_actor(caf::actor_system& system, hub_options options) {
  return system.spawn(hub_behavior, options);
}

void publish_conversation_frame(const hub_actor& hub, const std::string& frame,
                                const std::optional<std::string>& conversation_id) {
  caf::anon_send(hub, atoms::publish_atom_v, std::string("inbox"), frame);
  if (conversation_id)
    caf::anon_send(hub, atoms::publish_atom_v, "conversation:" + *conversation_id, frame);
}

}  // namespace crmd
