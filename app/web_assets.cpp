#include "app/web_assets.hpp"

#include "integrations/crypto/sha256.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

namespace crmd::app {

namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

const web_asset* web_bundle::find(std::string_view path) const {
  auto it = files.find(std::string(path));
  return it == files.end() ? nullptr : &it->second;
}

std::string content_type_for(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> types{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".json", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json"},
    {".webp", "image/webp"},
  }};
  for (const auto& [extension, type] : types)
    if (ends_with(path, extension))
      return std::string(type);
  return "application/octet-stream";
}

std::string cache_control_for(std::string_view path) {
  if (path.starts_with("/assets/"))
    return "public, max-age=31536000, immutable";  // the name changes with the content
  return "no-cache";  // index.html and friends: revalidate, so a deploy shows at once
}

std::optional<web_bundle> load_web_bundle(const std::string& directory, std::string& error) {
  std::error_code ec;
  fs::path root(directory);
  if (!fs::is_regular_file(root / "index.html", ec)) {
    error = directory + "/index.html does not exist (build the web app: scripts/run does)";
    return std::nullopt;
  }
  web_bundle bundle;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec))
      continue;
    auto relative = fs::relative(it->path(), root, ec).generic_string();
    if (ec || ends_with(relative, ".gz"))
      continue;
    auto body = read_file(it->path());
    if (!body)
      continue;
    // Appended piecewise: GCC 12 at -O3 misreads `"/" + relative` as an oversized memcpy.
    std::string url(1, '/');
    url.append(relative);
    std::string etag(1, '"');
    etag.append(integrations::sha256_hex(*body), 0, 32);
    etag.push_back('"');
    web_asset asset{.content_type = content_type_for(url),
                    .cache_control = cache_control_for(url),
                    .etag = std::move(etag),
                    .body = std::move(*body),
                    .gzipped = read_file(it->path().string() + ".gz")};
    bundle.files.emplace(std::move(url), std::move(asset));
  }
  if (ec) {
    error = "reading " + directory + ": " + ec.message();
    return std::nullopt;
  }
  return bundle;
}

}  // namespace crmd::app
