// Reconciliation (issue 8) end to end: the real crmd against the emulator's REST API and a real
// PostgreSQL. A record imported in full then stripped of some messages and calls is reconciled:
// the report names exactly what was removed, the rows come back, nothing is doubled, failed
// webhook events are re-driven, the watermarks move, and a second run over the same window finds
// nothing. The API starts one run at a time and reports it.
#include "tests/support/child_process.hpp"
#include "tests/support/crmd_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_accounts.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/ws_client.hpp"
#include "tools/openphone-emulator/dataset.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

namespace crmd::testing {
namespace {

namespace rest = openphone_emulator::rest;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* api_key = "e2e-reconcile-key";

rest::dataset_options dataset_sizes() {
  rest::dataset_options options;
  options.seed = 808;
  options.numbers = 2;
  options.users = 3;
  options.contacts = 30;
  options.conversations = 24;
  options.messages = 400;
  options.calls = 60;
  return options;
}

// A webhook the emulator would send: a message in one of the dataset's conversations is not
// needed, a message.received of its own conversation applies anywhere.
std::string message_payload(const std::string& event_id, const std::string& message_id) {
  json body = json::parse(R"({"apiVersion":"v3","createdAt":"2025-05-01T10:00:00.000Z",
    "data":{"object":{"body":"Re-driven by the reconciliation","conversationId":"CNreconcile0001",
    "createdAt":"2025-05-01T09:59:59.000Z","direction":"incoming","from":"+15085554767",
    "media":[],"object":"message","phoneNumberId":"PNreconcile0001","status":"received",
    "to":"+16175550190","userId":null}},"object":"event","type":"message.received"})");
  body["id"] = event_id;
  body["data"]["object"]["id"] = message_id;
  return body.dump();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The last line of `text` that parses as a JSON object.
json last_json_line(const std::string& text) {
  json found;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    auto value = json::parse(line, nullptr, false);
    if (value.is_object())
      found = std::move(value);
  }
  return found;
}

class Reconcile : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<test_database>("reconcile");
    port_ = free_tcp_port();
    auto sizes = dataset_sizes();
    emulator_ = std::make_unique<child_process>(
      CRMD_EMULATOR,
      std::vector<std::string>{
        "--serve", "--listen", "127.0.0.1:" + std::to_string(port_), "--api-key", api_key,
        "--seed", std::to_string(sizes.seed), "--numbers", std::to_string(sizes.numbers),
        "--users", std::to_string(sizes.users), "--contacts", std::to_string(sizes.contacts),
        "--conversations", std::to_string(sizes.conversations), "--messages",
        std::to_string(sizes.messages), "--calls", std::to_string(sizes.calls),
        "--rate-limit", "1000"},
      "reconcile_emulator.log");
    ASSERT_TRUE(emulator_ready()) << "the emulator did not come up on port " << port_;
  }

  bool emulator_ready() const {
    auto until = std::chrono::steady_clock::now() + 15s;
    while (std::chrono::steady_clock::now() < until) {
      try {
        if (http_get(port_, "/_emulator/stats").status == 200)
          return true;
      } catch (const std::exception&) {
        // Not listening yet.
      }
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  std::map<std::string, std::string> crmd_environment(const std::string& level = "warn") const {
    return {{"CRM_DATABASE_URL", database_->url()},
            {"CRM_OPENPHONE_API_URL", "http://127.0.0.1:" + std::to_string(port_)},
            {"CRM_OPENPHONE_API_KEY", api_key},
            {"CRM_OPENPHONE_RATE_LIMIT", "200"},
            {"CRM_LOG_LEVEL", level}};
  }

  // Runs `crmd <arguments>` to its end; stdout and stderr go to `log`.
  std::optional<int> run_crmd(std::vector<std::string> arguments, const std::string& log) {
    child_process crmd(CRMD_BINARY, std::move(arguments), log, crmd_environment());
    auto code = crmd.wait(180s);
    if (!code) {
      crmd.send_signal(SIGKILL);
      crmd.wait(10s);
    }
    return code;
  }

  // Every number of ours checked from before the dataset's history began (it spans two years
  // up to 2025-06-01), as if the last reconciliation had been then.
  void watermarks_before_history() {
    database_->exec(
      "insert into sync_watermarks (phone_number_id, reconciled_through) "
      "select id, '2023-01-01T00:00:00Z' from phone_numbers where openphone_id is not null "
      "on conflict (phone_number_id) do update set reconciled_through = excluded.reconciled_through");
  }

  std::string activities_snapshot() const {
    return database_->scalar(
      "select coalesce(md5(string_agg(t::text, ',' order by id)), '') from activities t");
  }

  std::unique_ptr<test_database> database_;
  std::uint16_t port_ = 0;
  std::unique_ptr<child_process> emulator_;
};

TEST_F(Reconcile, FindsExactlyWhatTheRecordLacksAndNeverDoubles) {
  ASSERT_EQ(run_crmd({"import", "openphone"}, "reconcile_import.log"), 0);
  auto totals = rest::totals(rest::make_dataset(dataset_sizes()));
  const std::string count_messages =
    "select count(*) from activities where activity_type = 'message'";
  const std::string count_calls = "select count(*) from activities where activity_type = 'call'";
  ASSERT_EQ(database_->scalar(count_messages), std::to_string(totals.messages));

  // The webhooks that never came: 7 messages and 3 calls, picked at random.
  database_->exec("create table removed as select openphone_id, activity_type from ("
                  " (select openphone_id, activity_type from activities"
                  "  where activity_type = 'message' order by random() limit 7)"
                  " union all"
                  " (select openphone_id, activity_type from activities"
                  "  where activity_type = 'call' order by random() limit 3)) as picked");
  database_->exec("delete from activities where openphone_id in (select openphone_id from removed)");
  ASSERT_EQ(database_->scalar(count_messages), std::to_string(totals.messages - 7));
  watermarks_before_history();
  // A failed event whose payload applies now, and a dead one nobody can parse.
  database_->exec("insert into webhook_events (event_id, event_type, payload, status, attempts, "
                  "next_attempt_at, error_code) values ('EVreconcileok', 'message.received', '"
                  + message_payload("EVreconcileok", "ACreconciledbywebhook") +
                  "', 'failed', 1, now() + interval '1 hour', 'x'), ('EVreconcilebad', "
                  "'message.received', '{\"not\":\"an event\"}', 'dead', 5, null, 'x')");

  ASSERT_EQ(run_crmd({"reconcile"}, "reconcile_first.log"), 0) << read_file("reconcile_first.log");
  auto run = last_json_line(read_file("reconcile_first.log"));
  ASSERT_TRUE(run.is_object()) << read_file("reconcile_first.log");
  EXPECT_EQ(run["status"], "completed");
  EXPECT_EQ(run["trigger"], "cli");
  const auto& report = run["report"];
  EXPECT_EQ(report["missing_found"], json({{"messages", 7}, {"calls", 3}}));
  EXPECT_EQ(report["fixed"]["messages"], 7);
  EXPECT_EQ(report["fixed"]["calls"], 3);
  EXPECT_EQ(report["checked"], json({{"messages", totals.messages}, {"calls", totals.calls}}));
  EXPECT_EQ(report["fixed"]["webhook_events"], 1);
  EXPECT_EQ(report["still_failing"]["webhook_events"], 1);
  EXPECT_GT(report["requests"].get<int>(), 0);
  EXPECT_EQ(report["phone_numbers"].size(), static_cast<std::size_t>(dataset_sizes().numbers));

  // Every removed row is back, once; the gaps are exactly the removed ids.
  EXPECT_EQ(database_->scalar(count_messages), std::to_string(totals.messages + 1));  // + webhook
  EXPECT_EQ(database_->scalar(count_calls), std::to_string(totals.calls));
  EXPECT_EQ(database_->scalar("select count(*) from removed r where not exists "
                              "(select 1 from activities a where a.openphone_id = r.openphone_id)"),
            "0");
  EXPECT_EQ(database_->scalar("select count(*) from reconciliation_gaps g full join removed r "
                              "using (openphone_id) where g.openphone_id is null "
                              "or r.openphone_id is null"),
            "0");
  EXPECT_EQ(database_->scalar("select count(*) - count(distinct openphone_id) from activities"), "0");
  EXPECT_EQ(database_->scalar("select status from webhook_events where event_id = 'EVreconcileok'"),
            "processed");
  EXPECT_EQ(database_->scalar("select status from webhook_events where event_id = 'EVreconcilebad'"),
            "dead");
  // The watermarks moved to the window's end.
  EXPECT_EQ(database_->scalar("select count(*) from sync_watermarks w join reconciliations r "
                              "on r.id = w.reconciliation_id where w.reconciled_through = r.window_end"),
            std::to_string(dataset_sizes().numbers));

  // Over the same window again: nothing is missing and nothing changes.
  watermarks_before_history();
  auto before = activities_snapshot();
  ASSERT_EQ(run_crmd({"reconcile"}, "reconcile_second.log"), 0);
  auto again = last_json_line(read_file("reconcile_second.log"));
  EXPECT_EQ(again["report"]["missing_found"], json({{"messages", 0}, {"calls", 0}}));
  EXPECT_EQ(again["report"]["checked"], report["checked"]);
  EXPECT_EQ(activities_snapshot(), before);
  EXPECT_EQ(database_->scalar("select count(*) from reconciliations where status = 'completed'"), "2");

  // From the watermarks that run left (now, minus the overlap): OpenPhone lists no conversation
  // updated since (the history ends in 2025), so no conversation's messages or calls are paged.
  ASSERT_EQ(run_crmd({"reconcile"}, "reconcile_third.log"), 0);
  auto nightly = last_json_line(read_file("reconcile_third.log"));
  EXPECT_EQ(nightly["report"]["checked"], json({{"messages", 0}, {"calls", 0}}));
  EXPECT_LT(nightly["report"]["requests"].get<int>(), dataset_sizes().conversations);
  EXPECT_EQ(activities_snapshot(), before);
}

// A `crmd reconcile` killed while it pages resumes from the job's checkpoint when run again:
// the same reconciliation, with the same window, completes and counts each gap once.
TEST_F(Reconcile, ResumesAfterAKillAndCountsEachGapOnce) {
  ASSERT_EQ(run_crmd({"import", "openphone"}, "reconcile_resume_import.log"), 0);
  database_->exec("create table removed as select openphone_id from activities "
                  "where activity_type = 'message' order by random() limit 25");
  database_->exec("delete from activities where openphone_id in (select openphone_id from removed)");
  watermarks_before_history();
  {
    // Slowed to 20 requests/s so that the kill lands while it pages.
    auto environment = crmd_environment();
    environment["CRM_OPENPHONE_RATE_LIMIT"] = "20";
    environment["CRM_IMPORT_LEASE_MS"] = "1500";
    child_process crmd(CRMD_BINARY, {"reconcile"}, "reconcile_killed.log", environment);
    auto until = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < until
           && database_->scalar("select count(*) from import_jobs where kind = "
                                "'openphone_reconcile' and pages_done > 3") == "0")
      std::this_thread::sleep_for(50ms);
    crmd.send_signal(SIGKILL);
    crmd.wait(10s);
  }
  ASSERT_EQ(database_->scalar("select status from reconciliations"), "running");
  auto window = database_->scalar("select window_start || ' ' || window_end from reconciliations");
  std::map<std::string, std::string> environment = crmd_environment();
  environment["CRM_IMPORT_LEASE_MS"] = "1500";
  child_process again(CRMD_BINARY, {"reconcile"}, "reconcile_resumed.log", environment);
  ASSERT_EQ(again.wait(180s), 0) << read_file("reconcile_resumed.log");
  auto run = last_json_line(read_file("reconcile_resumed.log"));
  EXPECT_EQ(run["id"], 1);
  EXPECT_EQ(run["status"], "completed");
  EXPECT_EQ(run["report"]["missing_found"]["messages"], 25);
  EXPECT_EQ(database_->scalar("select window_start || ' ' || window_end from reconciliations"),
            window);
  EXPECT_EQ(database_->scalar("select count(*) from reconciliation_gaps g join removed r "
                              "using (openphone_id)"),
            "25");
  EXPECT_EQ(database_->scalar("select count(*) from reconciliations"), "1");
  // The same import job went on from its checkpoint (claimed twice), not a second job.
  EXPECT_EQ(database_->scalar("select count(*) || ' ' || max(attempts) from import_jobs "
                              "where kind = 'openphone_reconcile'"),
            "1 2");
}

TEST_F(Reconcile, ApiRunsOneAtATimeAndReportsIt) {
  ASSERT_EQ(run_crmd({"import", "openphone"}, "reconcile_api_import.log"), 0);
  database_->exec("delete from activities where id in (select id from activities "
                  "where activity_type = 'message' order by id limit 2)");
  watermarks_before_history();
  crmd_process crmd(crmd_environment("info"));
  auto session = login_new_user(crmd.port(), database_->url());
  ws_client live(crmd.port(), {{"Cookie", session.cookie()}});
  EXPECT_EQ(live.read_json()["type"], "hello");
  live.send(json{{"type", "subscribe"}, {"topics", {"sync"}}});
  EXPECT_EQ(live.read_json()["type"], "subscribed");
  auto post = [&] {
    return http_request(crmd.port(), "POST", "/api/v1/reconciliations", "",
                        session.headers({{"Content-Type", "application/json"}}));
  };
  auto first = post();
  ASSERT_EQ(first.status, 202u) << first.body;
  auto started = json::parse(first.body)["reconciliation"];
  EXPECT_EQ(started["trigger"], "api");
  EXPECT_TRUE(started["status"] == "pending" || started["status"] == "running");
  auto second = post();
  ASSERT_EQ(second.status, 200u) << second.body;
  auto joined = json::parse(second.body);
  EXPECT_EQ(joined["already_running"], true);
  EXPECT_EQ(joined["reconciliation"]["id"], started["id"]);

  auto path = "/api/v1/reconciliations/" + std::to_string(started["id"].get<long long>());
  json run;
  auto until = std::chrono::steady_clock::now() + 120s;
  while (std::chrono::steady_clock::now() < until) {
    auto reply = http_request(crmd.port(), "GET", path, "", session.headers());
    ASSERT_EQ(reply.status, 200u) << reply.body;
    run = json::parse(reply.body);
    if (run["status"] == "completed" || run["status"] == "failed")
      break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(run["status"], "completed") << run.dump();
  EXPECT_EQ(run["report"]["missing_found"]["messages"], 2);
  EXPECT_FALSE(run["finished_at"].is_null());
  // The end went out on the topic `sync` too, with the same run (sync.health frames may come
  // between).
  json finished;
  while (finished.is_null()) {
    auto frame = live.read_json(30s);
    if (frame["type"] == "event" && frame["event"] == "reconcile.finished")
      finished = frame["data"];
  }
  EXPECT_EQ(finished["id"], started["id"]);
  EXPECT_EQ(finished["status"], "completed");
  EXPECT_EQ(finished["report"]["missing_found"]["messages"], 2);

  auto list = http_request(crmd.port(), "GET", "/api/v1/reconciliations?limit=5", "",
                           session.headers());
  ASSERT_EQ(list.status, 200u);
  auto listed = json::parse(list.body)["reconciliations"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], started["id"]);
  EXPECT_EQ(http_request(crmd.port(), "GET", "/api/v1/reconciliations/999999", "",
                         session.headers()).status,
            404u);
  EXPECT_EQ(http_request(crmd.port(), "GET", "/api/v1/reconciliations?limit=0", "",
                         session.headers()).status,
            400u);
  auto metrics = http_get(crmd.port(), "/metrics").body;
  EXPECT_NE(metrics.find("crmd_reconcile_runs_total{outcome=\"completed\"} 1"), std::string::npos)
    << metrics.substr(0, 200);
  EXPECT_NE(metrics.find("crmd_reconcile_gaps_found_total{resource=\"messages\"} 2"),
            std::string::npos);
  EXPECT_NE(metrics.find("# TYPE crmd_reconcile_last_success_timestamp_seconds gauge"),
            std::string::npos);
  // A new run once the first has ended.
  auto third = post();
  EXPECT_EQ(third.status, 202u) << third.body;
}

}  // namespace
}  // namespace crmd::testing
