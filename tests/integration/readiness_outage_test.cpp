// Stops PostgreSQL under a running crmd: /readyz must turn 503 while it is gone and 200 once it
// is back, webhooks must get 503 (never a 2xx without the row) and be stored once it is back, and
// crmd must neither crash nor stop answering /healthz. Uses a private cluster so the
// shared test cluster is never disturbed.
#include "tests/support/crmd_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/webhook_client.hpp"

#include <gtest/gtest.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>
#include <unistd.h>

namespace crmd::testing {
namespace {

using namespace std::chrono_literals;

std::string run_script(const std::string& arguments) {
  std::string command = std::string(CRMD_SOURCE_DIR) + "/scripts/pg " + arguments + " 2>&1";
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), &pclose);
  std::string output;
  std::array<char, 256> chunk{};
  while (fgets(chunk.data(), chunk.size(), pipe.get()) != nullptr)
    output += chunk.data();
  while (!output.empty() && output.back() == '\n')
    output.pop_back();
  return output;
}

unsigned wait_for_readyz(std::uint16_t port, unsigned status, std::chrono::seconds deadline) {
  return wait_for_status(port, "/readyz", status, deadline).status;
}

// A private cluster under var/, stopped and removed whatever way the test ends.
class private_cluster {
 public:
  explicit private_cluster(std::filesystem::path dir) : dir_(std::move(dir)) {
    url_ = run_script("start " + dir_.string());
  }
  ~private_cluster() {
    run_script("stop " + dir_.string());
    std::error_code ignored;
    auto real = std::filesystem::canonical(dir_, ignored);
    std::filesystem::remove_all(real, ignored);
    std::filesystem::remove_all(dir_, ignored);
  }
  const std::string& url() const { return url_; }
  std::string port() const {
    auto text = url_.substr(url_.rfind(':') + 1);
    return text.substr(0, text.find('/'));
  }
  void stop() const { run_script("stop " + dir_.string()); }
  std::string start_again() const { return run_script("start " + dir_.string() + " " + port()); }

 private:
  std::filesystem::path dir_;
  std::string url_;
};

TEST(ReadinessOutage, ReadyzFollowsPostgresDownAndBackUp) {
  private_cluster cluster(std::filesystem::path(CRMD_SOURCE_DIR) / "var"
                          / ("readyz-pg-" + std::to_string(::getpid())));
  const auto& url = cluster.url();
  ASSERT_EQ(url.rfind("postgresql://", 0), 0u) << url;

  crmd_process server({{"CRM_DATABASE_URL", url},
                       {"CRM_DB_QUEUE_TIMEOUT_MS", "1000"},
                       {"CRM_OPENPHONE_WEBHOOK_KEYS", test_webhook_secret}});
  ASSERT_EQ(wait_for_readyz(server.port(), 200, 10s), 200u) << server.log();

  cluster.stop();
  EXPECT_EQ(wait_for_readyz(server.port(), 503, 30s), 503u) << server.log();
  EXPECT_EQ(http_get(server.port(), "/healthz").status, 200u);
  auto delivery = inbound_message_payload("EVout", "ACout", "+15085550500", "during outage");
  auto refused = post_webhook(server.port(), delivery);
  EXPECT_EQ(refused.status, 503u) << refused.body;
  EXPECT_TRUE(server.running());

  ASSERT_EQ(cluster.start_again(), url);
  EXPECT_EQ(wait_for_readyz(server.port(), 200, 30s), 200u) << server.log();
  auto retried = post_webhook(server.port(), delivery);
  EXPECT_EQ(retried.status, 200u) << retried.body;
  EXPECT_NE(retried.body.find("stored"), std::string::npos) << retried.body;
  EXPECT_TRUE(server.running());
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

}  // namespace
}  // namespace crmd::testing
