#pragma once

#include "actors/type_ids.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>

namespace crmd {

// Runs a batch on the PostgreSQL pool and answers with its outcome. The completed message is the
// actor's own: the pool's callback hands the result back into the actor's context with it.
using db_actor = caf::typed_actor<
  caf::replies_to<atoms::execute_atom, db_batch>::with<storage::pg_outcome>,
  caf::reacts_to<atoms::completed_atom, std::uint64_t, storage::pg_outcome>>;

// Topic → subscribers. Subscribers receive (hub_event_atom, topic, payload) and are dropped when
// they terminate. Topics: "inbox", "conversation:<id>".
using hub_actor = caf::typed_actor<
  caf::reacts_to<atoms::subscribe_atom, std::string, caf::actor>,
  caf::reacts_to<atoms::unsubscribe_atom, std::string, caf::actor>,
  caf::reacts_to<atoms::publish_atom, std::string, std::string>,
  caf::replies_to<atoms::count_atom, std::string>::with<std::uint64_t>>;

// Registry keys under which the supervisor publishes the current handle of each child; a
// restarted child replaces its entry, so callers look the handle up per use.
namespace registry_keys {
inline constexpr caf::atom_value db = caf::atom("db");
inline constexpr caf::atom_value hub = caf::atom("hub");
inline constexpr caf::atom_value intake = caf::atom("intake");
inline constexpr caf::atom_value conversations = caf::atom("convs");
inline constexpr caf::atom_value openphone = caf::atom("openphone");
inline constexpr caf::atom_value imports = caf::atom("imports");
inline constexpr caf::atom_value media = caf::atom("media");
inline constexpr caf::atom_value applier = caf::atom("applier");
}  // namespace registry_keys

}  // namespace crmd
