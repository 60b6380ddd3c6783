// The real crmd binary against a real PostgreSQL database, spoken to over HTTP.
#include "storage/migrator.hpp"
#include "tests/support/crmd_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

namespace crmd::testing {
namespace {

class CrmdServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = std::make_unique<test_database>("crmd_server");
    server_ = std::make_unique<crmd_process>(
      std::map<std::string, std::string>{{"CRM_DATABASE_URL", database_->url()}});
  }
  static void TearDownTestSuite() {
    server_.reset();
    database_.reset();
  }

  static std::uint16_t port() { return server_->port(); }

  static std::unique_ptr<test_database> database_;
  static std::unique_ptr<crmd_process> server_;
};

std::unique_ptr<test_database> CrmdServer::database_;
std::unique_ptr<crmd_process> CrmdServer::server_;

TEST_F(CrmdServer, HealthzAnswersOk) {
  auto reply = http_get(port(), "/healthz");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(nlohmann::json::parse(reply.body)["status"], "ok");
  EXPECT_EQ(reply.header("content-type"), "application/json");
}

TEST_F(CrmdServer, ReadyzReportsTheMigratedSchemaVersion) {
  auto reply = wait_for_status(port(), "/readyz", 200, std::chrono::seconds(10));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto body = nlohmann::json::parse(reply.body);
  EXPECT_EQ(body["status"], "ready");
  EXPECT_EQ(body["schema_version"], storage::latest_known_version());
  EXPECT_EQ(database_->scalar("SELECT max(version) FROM schema_migrations"),
            std::to_string(storage::latest_known_version()));
}

TEST_F(CrmdServer, UnknownRouteIsAJsonNotFound) {
  auto reply = http_get(port(), "/no/such/route");
  EXPECT_EQ(reply.status, 404u);
  EXPECT_EQ(nlohmann::json::parse(reply.body)["error"]["code"], "not_found");
}

TEST_F(CrmdServer, WrongMethodIsAJsonMethodNotAllowed) {
  auto reply = http_request(port(), "POST", "/healthz", "{}");
  EXPECT_EQ(reply.status, 405u);
  EXPECT_EQ(nlohmann::json::parse(reply.body)["error"]["code"], "method_not_allowed");
  EXPECT_EQ(reply.header("allow"), "GET, HEAD");
}

TEST_F(CrmdServer, MetricsExposeTheRequiredFamiliesAndPassPromtool) {
  http_get(port(), "/healthz");
  auto reply = http_get(port(), "/metrics");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_NE(reply.header("content-type")->find("text/plain"), std::string::npos);
  for (const char* family :
       {"crmd_http_requests_total{", "crmd_http_request_duration_seconds_bucket{",
        "crmd_actor_restarts_total{", "crmd_pg_pool_connections{", "crmd_build_info{",
        "crmd_process_resident_memory_bytes", "crmd_process_open_fds",
        "crmd_process_uptime_seconds"})
    EXPECT_NE(reply.body.find(family), std::string::npos) << family;
  EXPECT_NE(reply.body.find("route=\"healthz\""), std::string::npos);

  std::string path = "/tmp/crmd-metrics-" + std::to_string(::getpid()) + ".txt";
  std::ofstream(path) << reply.body;
  std::string command = "promtool check metrics < " + path + " > " + path + ".out 2>&1";
  int status = std::system(command.c_str());
  std::ifstream out(path + ".out");
  std::string findings((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  std::remove((path + ".out").c_str());
  EXPECT_EQ(status, 0) << findings;
}

TEST(CrmdStartup, BadConfigurationExitsWithCodeTwoAndOneLinePerProblem) {
  std::string output;
  int code = run_crmd_to_exit({{"CRM_DATABASE_URL", "postgresql://crmd@127.0.0.1:1/crmd"},
                               {"CRM_HTTP_LISTEN", "nowhere"},
                               {"CRM_DB_POOL_SIZE", "-3"},
                               {"CRM_NOT_A_SETTING", "1"}},
                              output);
  EXPECT_EQ(code, 2);
  EXPECT_NE(output.find("CRM_HTTP_LISTEN"), std::string::npos) << output;
  EXPECT_NE(output.find("CRM_DB_POOL_SIZE"), std::string::npos) << output;
  EXPECT_NE(output.find("CRM_NOT_A_SETTING: unknown setting"), std::string::npos) << output;
  int lines = 0;
  for (char c : output)
    lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(lines, 3) << output;
}

TEST(CrmdStartup, RefusesADatabaseAheadOfIt) {
  test_database database("crmd_ahead");
  std::string output;
  ASSERT_NO_THROW(crmd_process({{"CRM_DATABASE_URL", database.url()}}).stop(SIGTERM));
  database.exec("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')");
  int code = run_crmd_to_exit({{"CRM_DATABASE_URL", database.url()}}, output);
  EXPECT_EQ(code, 1);
  EXPECT_NE(output.find("9999"), std::string::npos) << output;
  EXPECT_NE(output.find("database_ahead"), std::string::npos) << output;
}

TEST(CrmdStartup, UnreachableDatabaseIsAClearFailure) {
  std::string output;
  int code = run_crmd_to_exit({{"CRM_DATABASE_URL", "postgresql://crmd@127.0.0.1:1/crmd"}},
                              output);
  EXPECT_EQ(code, 1);
  EXPECT_NE(output.find("database_unreachable"), std::string::npos) << output;
}

TEST(CrmdShutdown, SigtermStopsCleanly) {
  test_database database("crmd_shutdown");
  crmd_process server({{"CRM_DATABASE_URL", database.url()}});
  ASSERT_EQ(http_get(server.port(), "/healthz").status, 200u);
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
  EXPECT_NE(server.log().find("\"message\":\"stopped\""), std::string::npos) << server.log();
}

}  // namespace
}  // namespace crmd::testing
