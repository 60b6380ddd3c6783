#pragma once

#include "app/web_assets.hpp"
#include "net/router.hpp"

#include <memory>

namespace crmd::app {

// Serves the single-page app: each built file at its own path, and index.html for the app's
// own pages (/, /login, /contacts/{id}, /sync), which the app routes in the browser. ETag
// revalidation, the build's gzip twins when the client accepts gzip, and a strict
// Content-Security-Policy on the page.
void add_web_routes(net::router& routes, std::shared_ptr<const web_bundle> bundle);

}  // namespace crmd::app
