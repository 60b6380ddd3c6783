#include "actors/applied_events.hpp"

#include "actors/campaign_types.hpp"
#include "actors/hub_actor.hpp"
#include "actors/interfaces.hpp"
#include "actors/webhook_metrics.hpp"

#include <caf/all.hpp>

#include <cstdlib>
#include <optional>
#include <string>

namespace crmd {

void publish_applied_frames(caf::local_actor* self, const storage::pg_result& applied) {
  if (applied.rows.empty())
    return;
  auto hub = self->system().registry().get<hub_actor>(registry_keys::hub);
  if (!hub)
    return;
  for (const auto& row : applied.rows)
    if (row[2])
      publish_conversation_frame(hub, *row[2], row[1]);
}

void observe_apply_lag(webhook_metrics& metrics, const storage::pg_result& applied) {
  std::optional<std::string> previous;
  for (const auto& row : applied.rows) {
    if (row.size() < 4 || !row[0] || !row[3] || row[0] == previous)
      continue;
    previous = row[0];
    metrics.apply_lag_seconds.Observe(std::strtod(row[3]->c_str(), nullptr));
  }
}

bool is_inbound_text(const domain::webhook_event& event) {
  return event.event_type == "message.received";
}

void nudge_reply_processor(caf::local_actor* self) {
  if (auto replies = self->system().registry().get(registry_keys::replies))
    caf::anon_send(caf::actor_cast<caf::actor>(replies), atoms::reply_nudge_atom_v);
}

}  // namespace crmd
