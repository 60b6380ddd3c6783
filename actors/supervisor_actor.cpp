#include "actors/supervisor_actor.hpp"

#include "actors/type_ids.hpp"
#include "domain/backoff.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>
#include <prometheus/counter.h>
#include <prometheus/family.h>

namespace crmd {

namespace {

struct child_slot {
  child_spec spec;
  caf::actor current;
  caf::actor_clock::time_point started;
  int failures = 0;
  prometheus::Counter* restarts = nullptr;
};

struct supervisor_state {
  static constexpr const char* name = "crmd.supervisor";
  std::vector<child_slot> slots;
  supervisor_options options;
  bool stopping = false;
};

using supervisor_ptr = caf::stateful_actor<supervisor_state>*;

void start_child(supervisor_ptr self, std::size_t index) {
  auto& slot = self->state.slots[index];
  slot.current = slot.spec.spawn(self->system());
  slot.started = self->clock().now();
  self->monitor(slot.current);
  self->system().registry().put(slot.spec.registry_key, slot.current);
  log::info("supervisor", "child started", {{"actor", slot.spec.name}});
}

void on_child_down(supervisor_ptr self, const caf::down_msg& down) {
  for (std::size_t index = 0; index < self->state.slots.size(); ++index) {
    auto& slot = self->state.slots[index];
    if (slot.current.address() != down.source)
      continue;
    slot.current = nullptr;
    self->system().registry().erase(slot.spec.registry_key);
    if (self->state.stopping)
      return;
    auto ran_for = std::chrono::duration_cast<std::chrono::milliseconds>(self->clock().now()
                                                                         - slot.started);
    slot.failures = domain::failures_after_crash(slot.failures, ran_for,
                                                 self->state.options.stable_after);
    auto delay = domain::exponential_delay(slot.failures, self->state.options.backoff_min,
                                           self->state.options.backoff_max);
    log::error("supervisor", "child terminated; restarting",
               {{"actor", slot.spec.name},
                {"reason", to_string(down.reason)},
                {"delay_ms", delay.count()}});
    self->delayed_send(self, delay, atoms::restart_atom_v, static_cast<std::uint64_t>(index));
    return;
  }
}

caf::behavior supervisor_behavior(supervisor_ptr self, std::vector<child_slot> slots,
                                  supervisor_options options) {
  self->set_down_handler([self](caf::down_msg& down) { on_child_down(self, down); });
  self->state.slots = std::move(slots);
  self->state.options = options;
  for (std::size_t index = 0; index < self->state.slots.size(); ++index)
    start_child(self, index);
  return {
    [self](atoms::restart_atom, std::uint64_t index) {
      if (self->state.stopping || index >= self->state.slots.size()
          || self->state.slots[index].current != nullptr)
        return;
      self->state.slots[index].restarts->Increment();
      start_child(self, index);
    },
    [self](atoms::children_atom) {
      std::uint64_t live = 0;
      for (const auto& slot : self->state.slots)
        live += slot.current != nullptr ? 1 : 0;
      return live;
    },
    [self](atoms::shutdown_atom) {
      self->state.stopping = true;
      for (auto& slot : self->state.slots) {
        if (slot.current == nullptr)
          continue;
        self->system().registry().erase(slot.spec.registry_key);
        self->send_exit(slot.current, caf::exit_reason::user_shutdown);
        slot.current = nullptr;
      }
      self->quit();
    },
  };
}

}  // namespace

caf::actor spawn_supervisor(caf::actor_system& system, std::vector<child_spec> children,
                            supervisor_options options, prometheus::Registry& metrics) {
  auto& restarts = prometheus::BuildCounter()
                     .Name("crmd_actor_restarts_total")
                     .Help("Restarts of supervised actors after they terminated")
                     .Register(metrics);
  std::vector<child_slot> slots;
  for (auto& spec : children) {
    child_slot slot;
    slot.restarts = &restarts.Add({{"actor", spec.name}});
    slot.spec = std::move(spec);
    slots.push_back(std::move(slot));
  }
  return system.spawn(supervisor_behavior, std::move(slots), options);
}

}  // namespace crmd
