// openphone-emulator --load against a real HTTP server: every request is a distinct, freshly
// signed event, the connections are kept alive, and answers are counted by kind.
#include "integrations/openphone/signature.hpp"
#include "tests/support/scripted_http_server.hpp"
#include "tools/openphone-emulator/load.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <set>
#include <sstream>
#include <string>

namespace {

using crmd::openphone_emulator::load_settings;
using crmd::testing::scripted_http_server;
using crmd::testing::scripted_response;
namespace openphone = crmd::integrations::openphone;

constexpr const char* secret = "bG9hZC10ZXN0LXNlY3JldC1sb2FkLXRlc3Qtc2VjcmV0";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

nlohmann::json last_json_line(const std::string& output) {
  auto end = output.find_last_not_of('\n');
  auto start = output.rfind('\n', end);
  return nlohmann::json::parse(output.substr(start == std::string::npos ? 0 : start + 1));
}

// One second of load from `connections` connections at `base_url`'s webhook path.
load_settings one_second_of(const std::string& base_url, int connections) {
  load_settings settings;
  settings.target = *crmd::openphone_emulator::parse_url(base_url + "/webhooks/openphone");
  settings.key = secret;
  settings.concurrency = connections;
  settings.duration = std::chrono::seconds(1);
  return settings;
}

TEST(EmulatorLoad, SendsDistinctSignedEventsOverKeptAliveConnectionsAndCountsAnswers) {
  scripted_http_server server({{.status = 503, .body = R"({"error":"busy"})"}});
  server.set_fallback({.status = 200, .body = R"({"status":"stored"})"});
  auto settings = one_second_of(server.base_url(), 4);
  settings.seed = 7;
  std::ostringstream out;

  int exit_code = crmd::openphone_emulator::run_load(settings, out);

  auto report = last_json_line(out.str());
  auto requests = server.requests();
  ASSERT_GT(requests.size(), 10u) << out.str();
  EXPECT_EQ(report["requests"], requests.size());
  EXPECT_EQ(report["acked"], requests.size() - 1);
  EXPECT_EQ(report["non_2xx"], 1);
  EXPECT_EQ(report["statuses"]["503"], 1);
  EXPECT_EQ(report["errors"], 0);
  EXPECT_EQ(exit_code, 1) << "a non-2xx answer makes the run unclean";
  EXPECT_EQ(server.connections(), 4u) << "one kept-alive connection per concurrent sender";

  auto keys = std::get<openphone::signing_keys>(openphone::signing_keys::from_base64({secret}));
  std::set<std::string> ids;
  for (const auto& request : requests) {
    EXPECT_EQ(request.target, "/webhooks/openphone");
    auto verdict = openphone::verify(request.header("openphone-signature").value_or(""),
                                     request.body, keys, now_ms(), 60'000);
    EXPECT_TRUE(verdict.ok()) << request.body;
    ids.insert(nlohmann::json::parse(request.body)["id"].get<std::string>());
  }
  EXPECT_EQ(ids.size(), requests.size()) << "every request is a distinct event";
}

TEST(EmulatorLoad, ARateGivesEachEventItsSlot) {
  scripted_http_server server;
  server.set_fallback({.status = 200, .body = R"({"status":"stored"})"});
  auto settings = one_second_of(server.base_url(), 4);
  settings.rate = 100;
  std::ostringstream out;

  EXPECT_EQ(crmd::openphone_emulator::run_load(settings, out), 0) << out.str();

  auto report = last_json_line(out.str());
  EXPECT_EQ(report["offered_per_s"], 100);
  // One slot every 10 ms within the second: never more events than slots, however fast the
  // server answers (without pacing four connections send thousands).
  EXPECT_LE(report["requests"].get<int>(), 100);
  EXPECT_GE(report["requests"].get<int>(), 50);
  EXPECT_EQ(report["acked"], report["requests"]);
}

TEST(EmulatorLoad, CountsAnUnreachableServerAsErrors) {
  std::string url;
  {
    scripted_http_server gone;
    url = gone.base_url();
  }
  auto settings = one_second_of(url, 2);
  std::ostringstream out;

  EXPECT_EQ(crmd::openphone_emulator::run_load(settings, out), 1);

  auto report = last_json_line(out.str());
  EXPECT_GT(report["errors"].get<int>(), 0);
  EXPECT_EQ(report["acked"], 0);
  EXPECT_EQ(report["requests"], report["errors"]);
}

}  // namespace
