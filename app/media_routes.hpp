#pragma once

#include "app/session_guard.hpp"
#include "net/router.hpp"

#include <string>

namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

// GET /media/{sha256}: a downloaded recording, voicemail or MMS picture from CRM_MEDIA_DIR,
// with its content type; content-addressed, so it may be cached for good. 404 `not_found` when
// this crmd stores no such file (or stores no media at all). Any logged-in user.
void add_media_routes(net::router& routes, storage::pg_pool& pool, std::string media_dir,
                      const session_guard& guard);

}  // namespace crmd::app
