#include "actors/conversation_registry_actor.hpp"

#include "actors/webhook_metrics.hpp"
#include "domain/webhook_routing.hpp"
#include "observability/log.hpp"
#include "storage/event_statements.hpp"

#include <caf/all.hpp>

#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace crmd {

namespace {

struct entry {
  caf::actor handle;
  std::map<std::int64_t, webhook_job> jobs;  // dispatched, not yet reported applied
  caf::actor_clock::time_point last_used;
};

struct registry_state {
  static constexpr const char* name = "crmd.conversations";
  conversation_registry_options options;
  webhook_metrics* metrics = nullptr;
  std::unordered_map<std::string, entry> entries;
  std::map<caf::actor_addr, std::string> keys_by_actor;
  std::unordered_set<std::int64_t> inflight;
  bool redriving = false;
  // The oldest event left in the database for lack of room since the last re-drive: fetching
  // resumes there, not from the start, which would read every event still in flight again.
  std::optional<std::int64_t> deferred_from;
  // From the first deferral until a re-drive has caught up, new events wait in the database
  // too, so that no event overtakes an older one of its conversation.
  bool behind = false;

  // Children are monitored, not linked (a link's exit message races the down message); they
  // stop with the registry whatever ends it.
  ~registry_state() {
    for (const auto& [address, key] : keys_by_actor)
      caf::anon_send_exit(address, caf::exit_reason::user_shutdown);
  }
};

using registry_ptr = caf::stateful_actor<registry_state>*;

void spawn_for(registry_ptr self, const std::string& key, entry& slot) {
  slot.handle = spawn_conversation_actor(self, key, self->state.options.conversation,
                                         *self->state.metrics);
  self->state.keys_by_actor[slot.handle.address()] = key;
  self->state.metrics->conversation_actors.Increment();
}

// The event stays stored; a re-drive brings it back.
void defer(registry_ptr self, std::int64_t row_id) {
  self->state.metrics->applied("deferred").Increment();
  auto& from = self->state.deferred_from;
  from = from ? std::min(*from, row_id) : row_id;
  self->state.behind = true;
}

// False when the event was deferred: too many are in memory already.
bool dispatch(registry_ptr self, webhook_job job) {
  if (self->state.inflight.count(job.row_id) > 0)
    return true;  // already queued with its actor (a sweep can find an event that is in flight)
  if (self->state.inflight.size() >= self->state.options.max_inflight) {
    defer(self, job.row_id);
    return false;
  }
  self->state.inflight.insert(job.row_id);
  auto key = domain::routing_key(job.event);
  auto& slot = self->state.entries[key];
  if (!slot.handle)
    spawn_for(self, key, slot);
  slot.last_used = self->clock().now();
  auto row_id = job.row_id;
  slot.jobs.emplace(row_id, job);
  self->send(slot.handle, atoms::apply_atom_v, std::move(job));
  return true;
}

void on_child_down(registry_ptr self, const caf::down_msg& down) {
  auto found = self->state.keys_by_actor.find(down.source);
  if (found == self->state.keys_by_actor.end())
    return;
  auto key = found->second;
  self->state.keys_by_actor.erase(found);
  self->state.metrics->conversation_actors.Decrement();
  auto it = self->state.entries.find(key);
  if (it == self->state.entries.end())
    return;  // passivated
  log::error("conversations", "conversation actor terminated; respawning",
             {{"key", key}, {"reason", to_string(down.reason)}, {"events", it->second.jobs.size()}});
  self->state.metrics->conversation_actor_restarts.Increment();
  spawn_for(self, key, it->second);
  for (const auto& [row_id, job] : it->second.jobs)
    self->send(it->second.handle, atoms::apply_atom_v, job);
}

// Conversations come back; a call's follow-ups (summary, transcript) and contact changes come in
// a short burst, so those actors stop sooner and do not pile up under load.
std::chrono::milliseconds idle_limit(const registry_state& state, const std::string& key) {
  return key.starts_with("conversation:") ? state.options.idle_timeout
                                          : std::min(state.options.idle_timeout,
                                                     state.options.short_idle_timeout);
}

std::chrono::milliseconds tick_interval(const registry_state& state) {
  return std::min(state.options.idle_timeout, state.options.short_idle_timeout) / 2;
}

void passivate_idle(registry_ptr self) {
  auto now = self->clock().now();
  for (auto it = self->state.entries.begin(); it != self->state.entries.end();) {
    auto& slot = it->second;
    if (slot.jobs.empty() && now - slot.last_used >= idle_limit(self->state, it->first)) {
      self->send(slot.handle, atoms::passivate_atom_v);
      it = self->state.entries.erase(it);
    } else {
      ++it;
    }
  }
}

void fetch_due(registry_ptr self, std::int64_t after, std::chrono::milliseconds min_age);
void resume_deferred(registry_ptr self);

void on_due_page(registry_ptr self, const storage::pg_result& page,
                 std::chrono::milliseconds min_age) {
  std::int64_t last = 0;
  for (const auto& row : page.rows) {
    last = std::stoll(*row[0]);
    auto event = self->state.options.parse(*row[1]);
    if (!event) {
      // Stored as understood but no longer parses (e.g. a replayed unknown type): give up on it.
      auto db = self->system().registry().get<db_actor>(registry_keys::db);
      if (db)
        self->send(db, atoms::execute_atom_v,
                   db_batch{{storage::record_event_failure(last, "unparseable_payload",
                                                           "stored payload is not understood",
                                                           1, 0)}});
      continue;
    }
    if (!dispatch(self, webhook_job{last, std::move(*event)})) {
      self->state.redriving = false;  // full: resumes from this event when there is room
      return;
    }
  }
  if (static_cast<int>(page.rows.size()) == self->state.options.redrive_page) {
    fetch_due(self, last, min_age);
    return;
  }
  self->state.redriving = false;
  if (self->state.deferred_from)
    resume_deferred(self);  // deferred while this pass ran
  else
    self->state.behind = false;
}

void fetch_due(registry_ptr self, std::int64_t after, std::chrono::milliseconds min_age) {
  auto db = self->system().registry().get<db_actor>(registry_keys::db);
  if (!db) {
    self->state.redriving = false;
    return;
  }
  auto query = storage::statement::named(
    "due_webhook_events", {std::to_string(after), std::to_string(self->state.options.redrive_page),
                           std::to_string(min_age.count())});
  self->request(db, self->state.options.conversation.db_timeout, atoms::execute_atom_v,
                db_batch{{std::move(query)}})
    .then(
      [self, min_age](storage::pg_outcome& outcome) {
        if (!outcome.ok()) {
          log::warn("conversations", "re-drive query failed", {{"code", outcome.error->code}});
          self->state.redriving = false;
          return;
        }
        on_due_page(self, outcome.results.front(), min_age);
      },
      [self](caf::error&) { self->state.redriving = false; });
}

void redrive(registry_ptr self, std::chrono::milliseconds min_age, std::int64_t after) {
  if (self->state.redriving)
    return;
  self->state.redriving = true;
  fetch_due(self, after, min_age);
}

// Fetches the deferred events once there is room again.
void resume_deferred(registry_ptr self) {
  auto& state = self->state;
  if (!state.deferred_from || state.redriving
      || state.inflight.size() > state.options.max_inflight / 2)
    return;
  auto after = *state.deferred_from - 1;
  state.deferred_from.reset();
  redrive(self, std::chrono::milliseconds{0}, after);
}

caf::behavior registry_behavior(registry_ptr self, conversation_registry_options options,
                                webhook_metrics* metrics) {
  self->state.options = std::move(options);
  self->state.metrics = metrics;
  self->set_down_handler([self](caf::down_msg& down) { on_child_down(self, down); });
  // Everything stored but unapplied (a crash between acknowledge and apply) goes first.
  redrive(self, std::chrono::milliseconds{0}, 0);
  self->delayed_send(self, self->state.options.redrive_interval, atoms::redrive_atom_v);
  self->delayed_send(self, tick_interval(self->state), atoms::tick_atom_v);
  return {
    [self](atoms::apply_atom, webhook_job& job) {
      if (self->state.behind)
        defer(self, job.row_id);
      else
        dispatch(self, std::move(job));
    },
    [self](atoms::applied_atom, std::int64_t row_id, const std::string& key) {
      auto& state = self->state;
      state.inflight.erase(row_id);
      // Room again after deferring: fetch the deferred events now rather than at the next sweep.
      resume_deferred(self);
      auto it = self->state.entries.find(key);
      if (it == self->state.entries.end())
        return;
      it->second.jobs.erase(row_id);
      it->second.last_used = self->clock().now();
    },
    [self](atoms::redrive_atom) {
      redrive(self, self->state.options.redrive_min_age, 0);
      self->delayed_send(self, self->state.options.redrive_interval, atoms::redrive_atom_v);
    },
    [self](atoms::tick_atom) {
      passivate_idle(self);
      self->delayed_send(self, tick_interval(self->state), atoms::tick_atom_v);
    },
    [self](atoms::count_atom) { return static_cast<std::uint64_t>(self->state.entries.size()); },
  };
}

}  // namespace

caf::actor spawn_conversation_registry(caf::actor_system& system,
                                       conversation_registry_options options,
                                       webhook_metrics& metrics) {
  return system.spawn(registry_behavior, std::move(options), &metrics);
}

}  // namespace crmd
