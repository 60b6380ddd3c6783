#pragma once

#include "app/session_guard.hpp"
#include "net/router.hpp"
#include "storage/pg_types.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>

namespace caf {
class actor_system;
}
namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

struct import_started {
  std::int64_t id = 0;
  bool created = false;  // false: an unfinished job existed and is the one running
};

// What an import is asked to do: only activity since a time; also fetch every message's media
// (one more request per message, from the dated API surface).
struct import_request {
  std::optional<std::string> since;
  bool mms_media = false;
};

// Creates the OpenPhone history import job, or finds the unfinished one (one at a time), and
// has the import manager run it. `done` runs on a pool (io) thread.
void start_openphone_import(storage::pg_pool& pool, caf::actor_system& actors,
                            const import_request& request,
                            std::function<void(std::variant<import_started, storage::pg_error>)> done);

// A job row of the get_import_job query as the API shows it.
nlohmann::json import_job_json(const storage::pg_result& result);

// POST /api/v1/imports {"since"?: "YYYY-MM-DD" | ISO-8601, "mms_media"?: bool} (owners only) and
// GET /api/v1/imports/{id} (any user).
void add_import_routes(net::router& routes, caf::actor_system& actors, storage::pg_pool& pool,
                       const session_guard& guard);

}  // namespace crmd::app
