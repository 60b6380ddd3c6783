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

// Topic → subscribers. Subscribers receive (hub_event_atom, topic, seq, payload) and are dropped
// when they terminate. Topics: "inbox", "imports", "sync", "conversation:<id>". Each publish gets
// the next seq; the last CRM_WS_REPLAY_EVENTS frames are kept for replay_atom (epoch, since,
// topics), and position_atom tells the epoch and the latest seq.
using hub_actor = caf::typed_actor<
  caf::reacts_to<atoms::subscribe_atom, std::string, caf::actor>,
  caf::reacts_to<atoms::unsubscribe_atom, std::string, caf::actor>,
  caf::reacts_to<atoms::publish_atom, std::string, std::string>,
  caf::replies_to<atoms::count_atom, std::string>::with<std::uint64_t>,
  caf::replies_to<atoms::position_atom>::with<hub_position>,
  caf::replies_to<atoms::replay_atom, std::string, std::uint64_t,
                  std::vector<std::string>>::with<hub_replay>>;

// One WebSocket connection's actor: frames the client sent, the end of the connection, and the
// hub's events for its topics.
using ws_client_actor = caf::typed_actor<
  caf::reacts_to<atoms::ws_frame_atom, std::string>,
  caf::reacts_to<atoms::ws_closed_atom>,
  caf::reacts_to<atoms::hub_event_atom, std::string, std::uint64_t, std::string>>;

// Argon2id on its own thread (a detached actor): hashes a password into an encoded PHC string,
// and verifies a password against one. One at a time, so at most one 64 MiB hash is in memory.
using password_actor = caf::typed_actor<
  caf::replies_to<atoms::hash_atom, std::string>::with<std::string>,
  caf::replies_to<atoms::verify_atom, std::string, std::string>::with<bool>>;

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
inline constexpr caf::atom_value sender = caf::atom("sender");
inline constexpr caf::atom_value sync_health = caf::atom("synchealth");
inline constexpr caf::atom_value password = caf::atom("password");
inline constexpr caf::atom_value llm = caf::atom("llm");
inline constexpr caf::atom_value campaigns = caf::atom("campaigns");
inline constexpr caf::atom_value replies = caf::atom("replies");
inline constexpr caf::atom_value reconciler = caf::atom("reconciler");
}  // namespace registry_keys

}  // namespace crmd
