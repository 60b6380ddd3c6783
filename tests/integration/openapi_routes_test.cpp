// docs/api/openapi.yaml describes exactly the routes crmd serves: every method and path the
// router has is in the file, and every operation in the file is served. The router is built by
// the same code as `crmd` serving (application::describe_routes), without serving.
#include "app/application.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

namespace crmd::testing {
namespace {

namespace fs = std::filesystem;

// "GET /api/v1/contacts/{}": captures are compared by position, not by name.
std::string operation(std::string method, const std::string& path) {
  for (char& c : method)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return method + " " + std::regex_replace(path, std::regex(R"(\{[^}]*\})"), "{}");
}

// The file's paths are two-space-indented keys under `paths:` and their operations four-space
// keys; the repository keeps that layout (openapi-spec-validator checks the rest).
std::set<std::string> documented_operations() {
  std::ifstream file(fs::path(CRMD_SOURCE_DIR) / "docs/api/openapi.yaml");
  std::set<std::string> operations;
  std::regex path_line(R"(^  (/[^:]*):\s*$)");
  std::regex method_line(R"(^    (get|put|post|delete|patch|head|options):)");
  std::string line;
  std::string path;
  bool in_paths = false;
  std::smatch match;
  while (std::getline(file, line)) {
    if (line == "paths:") {
      in_paths = true;
      continue;
    }
    if (in_paths && !line.empty() && line[0] != ' ')
      break;
    if (std::regex_match(line, match, path_line))
      path = match[1];
    else if (!path.empty() && std::regex_search(line, match, method_line))
      operations.insert(operation(match[1], path));
  }
  return operations;
}

TEST(OpenApi, DescribesExactlyTheRoutesServed) {
  auto web = fs::temp_directory_path() / ("openapi_routes_web_" + std::to_string(::getpid()));
  fs::create_directories(web / "assets");
  std::ofstream(web / "index.html") << "<!doctype html>";
  std::ofstream(web / "assets" / "app-0123.js") << "";
  config::settings settings;
  settings.database_url = "postgresql://127.0.0.1:1/unused";  // never connected to
  settings.web_dir = web.string();
  app::application application(settings, {});
  std::set<std::string> served;
  for (const auto& route : application.describe_routes())
    if (route.name != "web_asset")  // the build's hashed files, described as a group under "/"
      served.insert(operation(route.method, route.pattern));
  fs::remove_all(web);

  auto documented = documented_operations();
  ASSERT_GT(documented.size(), 20u) << "the file was not read";
  for (const auto& op : served)
    EXPECT_TRUE(documented.contains(op)) << op << " is served but not in docs/api/openapi.yaml";
  for (const auto& op : documented)
    EXPECT_TRUE(served.contains(op)) << op << " is in docs/api/openapi.yaml but not served";
}

}  // namespace
}  // namespace crmd::testing
