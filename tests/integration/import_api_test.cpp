// The import API against a serving crmd: validation at the edge, and an import started over HTTP
// runs to a verified report against the emulator's REST API (no rate limit, tiny dataset).
#include "tests/support/child_process.hpp"
#include "tests/support/crmd_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_accounts.hpp"
#include "tests/support/test_database.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

namespace crmd::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class ImportApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = std::make_unique<test_database>("import_api");
    emulator_port_ = free_tcp_port();
    emulator_ = std::make_unique<child_process>(
      CRMD_EMULATOR,
      std::vector<std::string>{"--serve", "--listen", "127.0.0.1:" + std::to_string(emulator_port_),
                               "--api-key", "api-test-key", "--seed", "99", "--numbers", "1",
                               "--users", "2", "--contacts", "5", "--conversations", "4",
                               "--messages", "30", "--calls", "6", "--rate-limit", "0"},
      "import_api_emulator.log");
    crmd_ = std::make_unique<crmd_process>(std::map<std::string, std::string>{
      {"CRM_DATABASE_URL", database_->url()},
      {"CRM_OPENPHONE_API_URL", "http://127.0.0.1:" + std::to_string(emulator_port_)},
      {"CRM_OPENPHONE_API_KEY", "api-test-key"},
      {"CRM_OPENPHONE_RATE_LIMIT", "1000"}});
    session_ = login_new_user(crmd_->port(), database_->url());
  }
  static void TearDownTestSuite() {
    crmd_.reset();
    emulator_.reset();
    database_.reset();
  }

  static http_reply post(const std::string& body) {
    return http_request(crmd_->port(), "POST", "/api/v1/imports", body,
                        session_.headers({{"Content-Type", "application/json"}}));
  }
  static http_reply get(const std::string& target) {
    return http_request(crmd_->port(), "GET", target, {}, session_.headers());
  }

  static std::unique_ptr<test_database> database_;
  static std::unique_ptr<child_process> emulator_;
  static std::unique_ptr<crmd_process> crmd_;
  static std::uint16_t emulator_port_;
  static test_session session_;
};

std::unique_ptr<test_database> ImportApi::database_;
std::unique_ptr<child_process> ImportApi::emulator_;
std::unique_ptr<crmd_process> ImportApi::crmd_;
std::uint16_t ImportApi::emulator_port_ = 0;
test_session ImportApi::session_;

std::string error_code(const http_reply& reply) {
  auto body = json::parse(reply.body, nullptr, false);
  return body.is_object() ? body["error"].value("code", "") : "";
}

TEST_F(ImportApi, BadRequestsGetStableErrorsAndStartNothing) {
  auto not_json = post("{not json");
  EXPECT_EQ(not_json.status, 400u);
  EXPECT_EQ(error_code(not_json), "invalid_json");
  auto bad_since = post(R"({"since":"2023-02-29"})");
  EXPECT_EQ(bad_since.status, 400u);
  EXPECT_EQ(error_code(bad_since), "invalid_since");
  auto bad_provider = post(R"({"provider":"quickbooks"})");
  EXPECT_EQ(bad_provider.status, 400u);
  EXPECT_EQ(error_code(bad_provider), "invalid_provider");
  auto bad_media = post(R"({"mms_media":"yes"})");
  EXPECT_EQ(bad_media.status, 400u);
  EXPECT_EQ(error_code(bad_media), "invalid_mms_media");
  EXPECT_EQ(error_code(get("/api/v1/imports/abc")), "invalid_id");
  auto missing = get("/api/v1/imports/999999");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(error_code(missing), "not_found");
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM import_jobs"), "0");
}

TEST_F(ImportApi, AnImportStartedOverHttpCompletesWithAVerifiedReport) {
  auto started = post(R"({"since":"2020-01-01"})");
  ASSERT_EQ(started.status, 201u) << started.body;
  auto id = json::parse(started.body)["id"].get<std::int64_t>();
  auto again = post("");
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_EQ(json::parse(again.body)["id"], id);
  EXPECT_FALSE(json::parse(again.body)["created"].get<bool>());

  json job;
  auto until = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < until) {
    job = json::parse(get("/api/v1/imports/" + std::to_string(id)).body);
    if (job["status"] == "completed" || job["status"] == "failed")
      break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(job["status"], "completed") << job.dump();
  EXPECT_TRUE(job["report"]["complete"].get<bool>()) << job["report"].dump();
  EXPECT_EQ(job["options"]["since"], "2020-01-01T00:00:00Z");
  EXPECT_EQ(job["report"]["resources"]["messages"]["provider"], 30);
  EXPECT_EQ(job["report"]["resources"]["calls"]["database"], 6);
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM activities"), "36");
}

}  // namespace
}  // namespace crmd::testing
