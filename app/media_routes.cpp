#include "app/media_routes.hpp"

#include "storage/pg_pool.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace crmd::app {

namespace {

bool is_sha256(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

net::http_response not_stored() {
  return net::error_response(404, "not_found", "no stored media file with this hash");
}

}  // namespace

void add_media_routes(net::router& routes, storage::pg_pool& pool, std::string media_dir,
                      const session_guard& guard) {
  routes.add(
    "GET", "/media/{sha256}", "media_get",
    guard.protect([&pool, media_dir](net::http_request&& request, principal,
                                     net::responder respond) {
      auto sha = request.path_params.at("sha256");
      if (!is_sha256(sha)) {
        respond(net::error_response(400, "invalid_hash",
                                    "a media file is named by its SHA-256 in lower-case hex"));
        return;
      }
      if (media_dir.empty()) {
        respond(not_stored());
        return;
      }
      pool.execute(
        {storage::statement::named("media_by_sha256", {sha})},
        [respond, sha, media_dir](storage::pg_outcome outcome) {
          if (!outcome.ok()) {
            respond(net::error_response(503, "database_unavailable", "PostgreSQL did not answer"));
            return;
          }
          if (outcome.results[0].rows.empty()) {
            respond(not_stored());
            return;
          }
          std::ifstream file(media_dir + "/" + sha.substr(0, 2) + "/" + sha, std::ios::binary);
          if (!file) {
            respond(not_stored());
            return;
          }
          net::http_response response;
          response.content_type =
            outcome.results[0].rows[0][0].value_or("application/octet-stream");
          response.headers.emplace_back("Cache-Control", "private, max-age=31536000, immutable");
          response.body.assign(std::istreambuf_iterator<char>(file), {});
          respond(std::move(response));
        });
    }));
}

}  // namespace crmd::app
