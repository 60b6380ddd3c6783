#pragma once

#include "net/router.hpp"

namespace caf {
class actor_system;
}
namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

class session_guard;

// The SMS campaign API (docs/api/openapi.yaml, tag campaigns), all behind login:
//   /api/v1/campaigns (list, create), /api/v1/campaigns/{id} (get with analytics, edit, delete
//   drafts), …/members, …/audience/preview, …/audience/csv, …/analytics(.csv), …/members.csv,
//   …/launch|pause|resume|cancel (forwarded to the campaign registry; launch and cancel are the
//   owner's), and /api/v1/templates/preview.
// Edits publish campaign.updated on the hub topics `campaigns` and `campaign:<id>`.
void add_campaign_routes(net::router& routes, const session_guard& guard, caf::actor_system& actors,
                         storage::pg_pool& pool);

}  // namespace crmd::app
