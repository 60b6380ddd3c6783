#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

// The single-page app's built files (web/dist), read into memory once at start-up: a few hundred
// kilobytes, so requests never touch the disk.
namespace crmd::app {

struct web_asset {
  std::string content_type;
  std::string cache_control;
  std::string etag;   // quoted, from the content's SHA-256
  std::string body;
  std::optional<std::string> gzipped;  // the build's .gz twin, when it has one
};

struct web_bundle {
  std::map<std::string, web_asset> files;  // by URL path: "/index.html", "/assets/app-1a2b.js"
  const web_asset* find(std::string_view path) const;
};

// Reads every file under `directory`. nullopt with `error` set when there is no index.html.
std::optional<web_bundle> load_web_bundle(const std::string& directory, std::string& error);

// Content type by extension; hashed files under /assets/ are immutable, the rest revalidate.
std::string content_type_for(std::string_view path);
std::string cache_control_for(std::string_view path);

}  // namespace crmd::app
