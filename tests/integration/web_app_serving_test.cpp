// crmd serves the built web app from CRM_WEB_DIR: the page for the app's own paths, hashed assets
// as immutable, the build's gzip twins when accepted, ETag revalidation, a strict CSP.
#include "tests/support/crmd_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace crmd::testing {
namespace {

namespace fs = std::filesystem;

class WebAppServing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = std::make_unique<test_database>("web_app_serving");
    dir_ = fs::temp_directory_path() / ("crmd_web_" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "assets");
    std::ofstream(dir_ / "index.html") << "<!doctype html><title>crmd</title>";
    std::ofstream(dir_ / "assets" / "app-1a2b.js") << "console.log('app')";
    std::ofstream(dir_ / "assets" / "app-1a2b.js.gz", std::ios::binary) << "GZIPPED";
    crmd_ = std::make_unique<crmd_process>(std::map<std::string, std::string>{
      {"CRM_DATABASE_URL", database_->url()}, {"CRM_WEB_DIR", dir_.string()}});
  }
  static void TearDownTestSuite() {
    crmd_.reset();
    database_.reset();
    fs::remove_all(dir_);
  }

  static std::unique_ptr<test_database> database_;
  static std::unique_ptr<crmd_process> crmd_;
  static fs::path dir_;
};

std::unique_ptr<test_database> WebAppServing::database_;
std::unique_ptr<crmd_process> WebAppServing::crmd_;
fs::path WebAppServing::dir_;

TEST_F(WebAppServing, TheAppsPagesAreIndexHtmlRevalidatedWithAStrictPolicy) {
  for (const char* path : {"/", "/login", "/contacts/42", "/sync", "/campaigns", "/campaigns/new",
                           "/campaigns/7", "/campaigns/7/edit"}) {
    auto page = http_get(crmd_->port(), path);
    ASSERT_EQ(page.status, 200u) << path;
    EXPECT_EQ(page.body, "<!doctype html><title>crmd</title>") << path;
    EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(page.header("cache-control"), "no-cache");
    EXPECT_NE(page.header("content-security-policy").value_or("").find("default-src 'self'"),
              std::string::npos);
  }
  auto first = http_get(crmd_->port(), "/");
  auto etag = first.header("etag");
  ASSERT_TRUE(etag);
  auto again = http_request(crmd_->port(), "GET", "/", {}, {{"If-None-Match", *etag}});
  EXPECT_EQ(again.status, 304u);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(http_get(crmd_->port(), "/elsewhere").status, 404u);
}

TEST_F(WebAppServing, AssetsAreImmutableAndGzippedWhenAccepted) {
  auto plain = http_get(crmd_->port(), "/assets/app-1a2b.js");
  ASSERT_EQ(plain.status, 200u);
  EXPECT_EQ(plain.body, "console.log('app')");
  EXPECT_EQ(plain.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(plain.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_FALSE(plain.header("content-encoding"));
  auto gzipped =
    http_request(crmd_->port(), "GET", "/assets/app-1a2b.js", {}, {{"Accept-Encoding", "gzip, br"}});
  EXPECT_EQ(gzipped.body, "GZIPPED");
  EXPECT_EQ(gzipped.header("content-encoding"), "gzip");
  EXPECT_EQ(gzipped.header("vary"), "Accept-Encoding");
  EXPECT_EQ(http_get(crmd_->port(), "/assets/app-1a2b.js.gz").status, 404u);
}

TEST(WebAppStart, AMissingBuildStopsCrmdWithAClearError) {
  test_database database("web_app_missing");
  std::string output;
  int code = run_crmd_to_exit(
    {{"CRM_DATABASE_URL", database.url()}, {"CRM_WEB_DIR", "/nonexistent/web/dist"}}, output);
  EXPECT_NE(code, 0);
  EXPECT_NE(output.find("CRM_WEB_DIR"), std::string::npos) << output;
}

}  // namespace
}  // namespace crmd::testing
