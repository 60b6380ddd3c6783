// crmd is killed with SIGKILL in the middle of a 20,000-event burst and restarted on the same
// port; the emulator retries whatever was not acknowledged, as OpenPhone does. Afterwards every
// acknowledged event is stored, every stored event is applied, and each activity exists once:
// nothing lost, nothing doubled.
#include "tests/support/child_process.hpp"
#include "tests/support/crmd_process.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/webhook_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace crmd::testing {
namespace {

using namespace std::chrono_literals;

std::size_t count_lines(const std::string& path) {
  std::ifstream in(path);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);)
    ++lines;
  return lines;
}

std::string sql_text_array(const std::set<std::string>& values) {
  std::string array = "'{";
  bool first = true;
  for (const auto& value : values) {
    if (!first)
      array += ',';
    first = false;
    array += value;  // EV…/AC… ids: letters and digits only
  }
  return array + "}'::text[]";
}

TEST(WebhookCrash, SigkillMidBurstLosesAndDoublesNothing) {
  test_database database("webhook_crash");
  auto port = free_tcp_port();
  std::map<std::string, std::string> environment{
    {"CRM_DATABASE_URL", database.url()},
    {"CRM_HTTP_LISTEN", "127.0.0.1:" + std::to_string(port)},
    {"CRM_OPENPHONE_WEBHOOK_KEYS", test_webhook_secret},
};
  auto tag = std::to_string(::getpid());
  auto acked_path = "/tmp/crmd-e2e-acked-" + tag;
  auto expect_path = "/tmp/crmd-e2e-expect-" + tag;
  auto output_path = "/tmp/crmd-e2e-emulator-" + tag;

  auto first = std::make_unique<crmd_process>(environment);
  child_process emulator(CRMD_EMULATOR,
                         {"--url", "http://127.0.0.1:" + std::to_string(port) + "/webhooks/openphone",
                          "--key", test_webhook_secret, "--seed", "4242", "--scenario", "burst",
                          "--events", "20000", "--concurrency", "64", "--retry-for", "120",
                          "--acked-out", acked_path, "--expect-out", expect_path},
                         output_path);

  // Kill once a quarter of the burst is acknowledged: mid-flight, with batches in the air.
  for (int i = 0; i < 1200 && count_lines(acked_path) < 5000; ++i)
    std::this_thread::sleep_for(50ms);
  auto acked_before_kill = count_lines(acked_path);
  ASSERT_GE(acked_before_kill, 5000u) << "the burst never got going\n" << first->log();
  EXPECT_EQ(first->stop(SIGKILL), 128 + SIGKILL);
  first.reset();
  crmd_process second(environment);

  auto exit_code = emulator.wait(300s);
  std::ifstream summary(output_path);
  std::stringstream summary_text;
  summary_text << summary.rdbuf();
  ASSERT_EQ(exit_code, std::optional<int>(0)) << summary_text.str();

  // Wait until nothing stored is left unapplied.
  std::string pending;
  for (int i = 0; i < 1200; ++i) {
    pending = database.scalar("SELECT count(*) FROM webhook_events WHERE status = 'received'");
    if (pending == "0")
      break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(pending, "0") << second.log();

  std::ifstream expect_file(expect_path);
  auto expected = nlohmann::json::parse(expect_file);
  std::set<std::string> activity_ids = expected["activity_ids"].get<std::set<std::string>>();
  std::set<std::string> stored_ids = expected["stored_event_ids"].get<std::set<std::string>>();
  std::set<std::string> acked_ids;
  std::ifstream acked(acked_path);
  for (std::string line; std::getline(acked, line);)
    acked_ids.insert(line.substr(0, line.find('\t')));

  EXPECT_EQ(acked_ids.size(), stored_ids.size()) << "every event was acknowledged in the end";
  EXPECT_EQ(database.scalar("SELECT count(*) FROM webhook_events WHERE event_id = ANY("
                            + sql_text_array(acked_ids) + ")"),
            std::to_string(acked_ids.size()))
    << "an acknowledged event is missing";
  EXPECT_EQ(database.scalar("SELECT count(*) FROM webhook_events"),
            std::to_string(stored_ids.size()));
  EXPECT_EQ(database.scalar("SELECT count(*) FROM webhook_events WHERE status <> 'processed'"),
            "0");
  EXPECT_EQ(database.scalar("SELECT count(*) FROM activities"), std::to_string(activity_ids.size()));
  EXPECT_EQ(database.scalar("SELECT count(*) FROM activities WHERE openphone_id = ANY("
                            + sql_text_array(activity_ids) + ")"),
            std::to_string(activity_ids.size()));
  std::remove(acked_path.c_str());
  std::remove(expect_path.c_str());
  std::remove(output_path.c_str());
}

}  // namespace
}  // namespace crmd::testing
