#include "app/web_routes.hpp"

#include <array>

namespace crmd::app {

namespace {

// Media comes from crmd (/media) or the provider's https URLs; nothing else runs or loads.
constexpr const char* content_security_policy =
  "default-src 'self'; img-src 'self' https: data:; media-src 'self' https:; "
  "connect-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
  "form-action 'self'";

constexpr std::array<const char*, 8> app_pages{
  "/", "/login", "/contacts/{id}", "/sync", "/campaigns", "/campaigns/new", "/campaigns/{id}",
  "/campaigns/{id}/edit"};

bool accepts_gzip(const net::http_request& request) {
  auto header = request.header("accept-encoding");
  return header && header->find("gzip") != std::string_view::npos;
}

net::http_response serve(const web_asset& asset, const net::http_request& request) {
  net::http_response response;
  response.content_type = asset.content_type;
  response.headers = {{"Cache-Control", asset.cache_control},
                      {"ETag", asset.etag},
                      {"Vary", "Accept-Encoding"},
                      {"X-Content-Type-Options", "nosniff"}};
  if (asset.content_type.starts_with("text/html")) {
    response.headers.emplace_back("Content-Security-Policy", content_security_policy);
    response.headers.emplace_back("Referrer-Policy", "same-origin");
  }
  if (auto match = request.header("if-none-match"); match && *match == asset.etag) {
    response.status = 304;
    return response;
  }
  if (asset.gzipped && accepts_gzip(request)) {
    response.headers.emplace_back("Content-Encoding", "gzip");
    response.body = *asset.gzipped;
  } else {
    response.body = asset.body;
  }
  return response;
}

}  // namespace

void add_web_routes(net::router& routes, std::shared_ptr<const web_bundle> bundle) {
  for (const auto& [path, asset] : bundle->files) {
    if (path == "/index.html")
      continue;
    routes.add("GET", path, "web_asset",
               [bundle, &asset](net::http_request&& request, net::responder respond) {
                 respond(serve(asset, request));
               });
  }
  const web_asset* index = bundle->find("/index.html");
  for (const char* page : app_pages)
    routes.add("GET", page, "web_page",
               [bundle, index](net::http_request&& request, net::responder respond) {
                 respond(serve(*index, request));
               });
}

}  // namespace crmd::app
