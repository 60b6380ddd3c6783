#include "actors/db_actor.hpp"

#include "storage/pg_pool.hpp"

#include <caf/all.hpp>

#include <unordered_map>

namespace crmd {

namespace {

struct db_state {
  static constexpr const char* name = "crmd.db";
  storage::pg_pool* pool = nullptr;
  std::uint64_t next_ticket = 1;
  std::unordered_map<std::uint64_t, caf::typed_response_promise<storage::pg_outcome>> pending;
};

using db_ptr = db_actor::stateful_pointer<db_state>;

db_actor::behavior_type db_behavior(db_ptr self, storage::pg_pool* pool) {
  self->state.pool = pool;
  return {
    [self](atoms::execute_atom, db_batch& batch) -> caf::result<storage::pg_outcome> {
      auto promise = self->make_response_promise<storage::pg_outcome>();
      auto ticket = self->state.next_ticket++;
      self->state.pending.emplace(ticket, promise);
      // The callback runs on an io thread: it only sends a message back into this actor.
      self->state.pool->execute(std::move(batch.statements),
                                [handle = db_actor{self}, ticket](storage::pg_outcome outcome) {
                                  caf::anon_send(handle, atoms::completed_atom_v, ticket,
                                                 std::move(outcome));
                                });
      return promise;
    },
    [self](atoms::completed_atom, std::uint64_t ticket, storage::pg_outcome& outcome) {
      auto it = self->state.pending.find(ticket);
      if (it == self->state.pending.end())
        return;
      it->second.deliver(std::move(outcome));
      self->state.pending.erase(it);
    },
  };
}

}  // namespace

db_actor spawn_db_actor(caf::actor_system& system, storage::pg_pool& pool) {
  return system.spawn(db_behavior, &pool);
}

}  // namespace crmd
