#pragma once

#include "net/router.hpp"
#include "storage/pg_types.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace caf {
class actor_system;
}
namespace crmd::storage {
class pg_pool;
}

// The campaign API's route files (app/campaign_routes*.cpp) and what they share.
namespace crmd::app {

class session_guard;

void add_campaign_audience_routes(net::router& routes, const session_guard& guard,
                                  caf::actor_system& actors, storage::pg_pool& pool);
void add_campaign_analytics_routes(net::router& routes, const session_guard& guard,
                                   storage::pg_pool& pool);
void add_campaign_command_routes(net::router& routes, const session_guard& guard,
                                 caf::actor_system& actors);

inline constexpr std::string_view no_campaign = "no campaign with this id";

// campaign.updated with the campaign's JSON on `campaigns` and `campaign:<id>`.
void publish_campaign(caf::actor_system& actors, std::int64_t id, const std::string& campaign);

// campaign_analytics's JSON text with "ab_test" added (positive over sent, A against B).
std::string analytics_with_ab_test(const std::string& analytics);

// 409 campaign_not_editable.
net::http_response not_editable();

// "text/csv" attachment named `filename`.
net::http_response csv_response(std::string body, const std::string& filename);

}  // namespace crmd::app
