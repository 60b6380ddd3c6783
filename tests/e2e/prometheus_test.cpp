// crmd as Prometheus sees it: Debian's real `prometheus` on a loopback port scrapes the test's
// crmd every second with dashboards/prometheus/crmd-rules.yml loaded. Webhooks driven by the
// emulator are read back through Prometheus's HTTP API, the Grafana dashboard's queries are run
// by Prometheus, silence turns sync health amber and the no-webhook alert on, and every metric
// the dashboard and the rules name is one crmd exports.
#include "tests/support/child_process.hpp"
#include "tests/support/crmd_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/scripted_http_server.hpp"
#include "tests/support/test_accounts.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/webhook_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>

namespace crmd::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* prometheus_binary = "/usr/bin/prometheus";

std::string rules_path() {
  return std::string(CRMD_SOURCE_DIR) + "/dashboards/prometheus/crmd-rules.yml";
}
std::string rules_test_path() {
  return std::string(CRMD_SOURCE_DIR) + "/dashboards/prometheus/crmd-rules.test.yml";
}
std::string dashboard_path() {
  return std::string(CRMD_SOURCE_DIR) + "/dashboards/grafana/crmd.json";
}

std::string url_encode(const std::string& text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The dashboard's exprs use Grafana's variables; Prometheus needs plain PromQL.
std::string as_promql(std::string expr) {
  expr = std::regex_replace(expr, std::regex(R"(\$__rate_interval)"), "1m");
  expr = std::regex_replace(expr, std::regex(R"(\$instance)"), ".*");
  return expr;
}

std::vector<std::string> dashboard_exprs() {
  std::ifstream in(dashboard_path());
  auto dashboard = json::parse(in);
  std::vector<std::string> exprs;
  for (const auto& panel : dashboard["panels"])
    for (const auto& target : panel.value("targets", json::array()))
      exprs.push_back(target.at("expr").get<std::string>());
  return exprs;
}

// A temporary directory, removed with everything in it.
class temp_dir {
 public:
  temp_dir() {
    std::string pattern = "/tmp/crmd-prometheus-XXXXXX";
    if (!mkdtemp(pattern.data()))
      throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Debian's Prometheus scraping 127.0.0.1:<crmd_port> every second (job "crmd", as the shipped
// scrape config names it), evaluating `rules` every second. Stopped with SIGTERM, then SIGKILL.
class prometheus_server {
 public:
  prometheus_server(std::uint16_t crmd_port, const std::string& rules) {
    std::ofstream(dir_.path() + "/crmd-rules.yml") << rules;
    std::ofstream(dir_.path() + "/prometheus.yml")
      << "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
         "rule_files: [crmd-rules.yml]\n"
         "scrape_configs:\n"
         "  - job_name: crmd\n"
         "    static_configs: [{targets: ['127.0.0.1:" << crmd_port << "']}]\n";
    port_ = free_tcp_port();
    child_ = std::make_unique<child_process>(
      prometheus_binary,
      std::vector<std::string>{"--config.file=" + dir_.path() + "/prometheus.yml",
                               "--storage.tsdb.path=" + dir_.path() + "/data",
                               "--web.listen-address=127.0.0.1:" + std::to_string(port_)},
      dir_.path() + "/prometheus.log");
    for (int i = 0; i < 300; ++i) {
      try {
        if (http_get(port_, "/-/ready").status == 200)
          return;
      } catch (const std::exception&) {
        // not listening yet
      }
      if (child_->wait(100ms))
        break;
    }
    throw std::runtime_error("prometheus did not become ready:\n" + log());
  }
  ~prometheus_server() {
    child_->send_signal(SIGTERM);
    if (!child_->wait(20s)) {
      child_->send_signal(SIGKILL);
      child_->wait(10s);
    }
  }

  std::string log() const { return read_file(dir_.path() + "/prometheus.log"); }

  // GET /api/v1/<path>; throws unless Prometheus answers status "success".
  json api(const std::string& target) const {
    auto reply = http_get(port_, "/api/v1/" + target);
    auto body = json::parse(reply.body, nullptr, false);
    if (reply.status != 200 || body.is_discarded() || body.value("status", "") != "success")
      throw std::runtime_error(target + " → " + std::to_string(reply.status) + " " + reply.body);
    return body["data"];
  }
  json query(const std::string& promql) const { return api("query?query=" + url_encode(promql)); }

  // The single value of an instant vector query; nullopt while it has no sample.
  std::optional<double> scalar(const std::string& promql) const {
    auto data = query(promql);
    if (data["result"].size() != 1)
      return std::nullopt;
    return std::stod(data["result"][0]["value"][1].get<std::string>());
  }

  // Polls the query every 250 ms until it equals `expected` or 60 s pass; the last value.
  std::optional<double> wait_for_value(const std::string& promql, double expected) const {
    std::optional<double> value;
    for (int i = 0; i < 240; ++i) {
      value = scalar(promql);
      if (value == expected)
        break;
      std::this_thread::sleep_for(250ms);
    }
    return value;
  }

 private:
  temp_dir dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<child_process> child_;
};

std::map<std::string, std::string> crmd_environment(const test_database& database) {
  return {{"CRM_DATABASE_URL", database.url()},
          {"CRM_OPENPHONE_WEBHOOK_KEYS", test_webhook_secret}};
}

// The metric families crmd announces with "# TYPE name type" lines.
std::map<std::string, std::string> exported_families(std::uint16_t port) {
  auto reply = http_get(port, "/metrics");
  std::map<std::string, std::string> families;
  std::istringstream lines(reply.body);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string hash, keyword, name, type;
    if (words >> hash >> keyword >> name >> type && hash == "#" && keyword == "TYPE")
      families[name] = type;
  }
  return families;
}

// Every crmd_… name in the text: series names, and names quoted in annotations.
std::set<std::string> crmd_names_in(const std::string& text) {
  std::set<std::string> names;
  std::regex name(R"(crmd_[a-z_]+[a-z])");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), name); it != std::sregex_iterator();
       ++it)
    names.insert(it->str());
  return names;
}

// A name is exported when it is a family, or a histogram's or summary's _bucket/_sum/_count.
bool exported(const std::map<std::string, std::string>& families, const std::string& name) {
  if (families.contains(name))
    return true;
  for (std::string suffix : {"_bucket", "_sum", "_count"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      auto base = families.find(name.substr(0, name.size() - suffix.size()));
      if (base != families.end() && (base->second == "histogram" || base->second == "summary"))
        return suffix != "_bucket" || base->second == "histogram";
    }
  }
  return false;
}

TEST(Prometheus, ScrapesCrmdAndReadsWebhookMetricsBack) {
  test_database database("prometheus_scrape");
  crmd_process crmd(crmd_environment(database));
  prometheus_server prometheus(crmd.port(), read_file(rules_path()));

  ASSERT_EQ(prometheus.wait_for_value(R"(up{job="crmd"})", 1), 1.0) << prometheus.log();
  auto rules = prometheus.api("rules");
  std::size_t loaded = 0;
  for (const auto& group : rules["groups"])
    for (const auto& rule : group["rules"]) {
      ++loaded;
      EXPECT_EQ(rule.value("health", ""), "ok") << rule.dump();
    }
  EXPECT_GE(loaded, 16u) << "crmd-rules.yml was not loaded";

  auto output = "/tmp/crmd-e2e-prometheus-emulator-" + std::to_string(::getpid());
  child_process emulator(CRMD_EMULATOR,
                         {"--url", "http://127.0.0.1:" + std::to_string(crmd.port())
                                     + "/webhooks/openphone",
                          "--key", test_webhook_secret, "--seed", "8080", "--scenario", "burst",
                          "--events", "300", "--concurrency", "8"},
                         output);
  auto exit_code = emulator.wait(120s);
  auto text = read_file(output);
  std::remove(output.c_str());
  ASSERT_EQ(exit_code, std::optional<int>(0)) << text;
  auto summary = json::parse(text.substr(0, text.find('\n')));
  ASSERT_EQ(summary["errors"], 0) << text;
  double sent = summary["sent"].get<double>();
  ASSERT_GE(sent, 300);

  // One delivery outcome per request crmd answered: the counter and the route's histogram read
  // back through Prometheus equal what the emulator sent.
  EXPECT_EQ(prometheus.wait_for_value(R"(sum(crmd_webhook_deliveries_total{job="crmd"}))", sent),
            sent);
  EXPECT_EQ(prometheus.wait_for_value(
              R"(sum(crmd_http_request_duration_seconds_count{job="crmd",route="webhook_openphone"}))",
              sent),
            sent);
  // Every stored event gets applied; the apply counter catches up with the stored ones.
  auto stored = prometheus.scalar(
    R"(sum(crmd_webhook_deliveries_total{job="crmd",outcome=~"stored|not_understood"}))");
  ASSERT_TRUE(stored.has_value());
  EXPECT_GT(*stored, 0);
  EXPECT_EQ(prometheus.wait_for_value(
              R"(sum(crmd_webhook_apply_total{job="crmd",outcome="processed"}))", *stored),
            *stored)
    << crmd.log();
  EXPECT_EQ(prometheus.scalar(
              R"(sum(crmd_webhook_apply_total{job="crmd",outcome=~"retry_scheduled|dead"}) or vector(0))"),
            0.0);
  // Apply lag: observed once per applied event that became a live change, never more often.
  auto lags = prometheus.scalar(R"(sum(crmd_webhook_apply_lag_seconds_count{job="crmd"}))");
  ASSERT_TRUE(lags.has_value());
  EXPECT_GT(*lags, 0);
  EXPECT_LE(*lags, *stored);
  // The process and pool gauges arrive too.
  auto rss = prometheus.scalar(R"(crmd_process_resident_memory_bytes{job="crmd"})");
  ASSERT_TRUE(rss.has_value());
  EXPECT_GT(*rss, 1e6);
  EXPECT_GT(prometheus.scalar(R"(sum(crmd_pg_pool_connections{job="crmd",state=~"idle|busy"}))")
              .value_or(0),
            0);

  // Every query of the Grafana dashboard is valid PromQL to this Prometheus.
  for (const auto& expr : dashboard_exprs()) {
    EXPECT_NO_THROW(prometheus.query(as_promql(expr))) << expr;
  }
}

TEST(Prometheus, SilentWebhooksTurnHealthAmberAndTheAlertOn) {
  // The shipped rule with a test-sized threshold: 2 business seconds instead of 6 hours.
  auto rules = read_file(rules_path());
  const std::string production =
    R"(crmd_sync_webhook_silence_business_seconds{phone_number="all"}) > 21600)";
  auto at = rules.find(production);
  ASSERT_NE(at, std::string::npos) << "the CrmdWebhooksSilent expression changed; update this test";
  ASSERT_EQ(rules.find(production, at + 1), std::string::npos);
  rules.replace(at, production.size(),
                R"(crmd_sync_webhook_silence_business_seconds{phone_number="all"}) > 2)");

  test_database database("prometheus_silence");
  auto environment = crmd_environment(database);
  environment["CRM_SYNC_WEBHOOK_QUIET_MS"] = "2000";
  environment["CRM_SYNC_HEALTH_INTERVAL_MS"] = "1000";
  environment["CRM_BUSINESS_HOURS"] = "Sun-Sat 00:00-24:00";  // every second is business time
  crmd_process crmd(environment);
  auto session = login_new_user(crmd.port(), database.url());
  prometheus_server prometheus(crmd.port(), rules);

  // One webhook, then none.
  auto delivered = post_webhook(
    crmd.port(), inbound_message_payload("EVsilence1", "ACsilence1", "+15085550142", "hello"));
  ASSERT_EQ(delivered.status, 200u) << delivered.body;

  json health;
  for (int i = 0; i < 120; ++i) {
    auto reply = http_request(crmd.port(), "GET", "/api/v1/sync/health", {}, session.headers());
    ASSERT_EQ(reply.status, 200u) << reply.body;
    health = json::parse(reply.body);
    if (health["status"] == "amber"
        && health["webhooks"].value("silence_business_seconds", 0.0) >= 2)
      break;
    std::this_thread::sleep_for(250ms);
  }
  EXPECT_EQ(health["status"], "amber") << health.dump();
  EXPECT_GE(health["webhooks"].value("silence_business_seconds", 0.0), 2) << health.dump();
  EXPECT_FALSE(health["webhooks"]["last_received_at"].is_null()) << health.dump();

  // The gauge behind the alert, as Prometheus scraped it.
  std::optional<double> silence;
  for (int i = 0; i < 240; ++i) {
    silence = prometheus.scalar(
      R"(max(crmd_sync_webhook_silence_business_seconds{job="crmd",phone_number="all"}))");
    if (silence && *silence > 2)
      break;
    std::this_thread::sleep_for(250ms);
  }
  ASSERT_TRUE(silence.has_value()) << "crmd_sync_webhook_silence_business_seconds never scraped";
  EXPECT_GT(*silence, 2);

  std::string state;
  for (int i = 0; i < 240 && state.empty(); ++i) {
    auto alerts = prometheus.api("alerts");  // held: the loop must not walk a dead temporary
    for (const auto& alert : alerts["alerts"])
      if (alert["labels"].value("alertname", "") == "CrmdWebhooksSilent")
        state = alert.value("state", "");
    if (state.empty())
      std::this_thread::sleep_for(250ms);
  }
  std::string rule;
  auto rules_now = prometheus.api("rules");
  for (const auto& group : rules_now["groups"])
    for (const auto& candidate : group["rules"])
      if (candidate.value("name", "") == "CrmdWebhooksSilent")
        rule = candidate.dump();
  EXPECT_TRUE(state == "pending" || state == "firing") << "state: '" << state << "'\n" << rule;
}

TEST(Dashboards, EveryQueryNamesAMetricCrmdExports) {
  test_database database("prometheus_names");
  // A family with labels shows in /metrics from its first sample on: OpenPhone's API (scripted:
  // one 503, retried, then every list is empty) lets a reconciliation make provider calls.
  scripted_http_server openphone({{.status = 503, .headers = {{"Retry-After", "0"}}}});
  openphone.set_fallback({.status = 200, .body = R"({"data":[],"totalItems":0,"nextPageToken":null})"});
  auto environment = crmd_environment(database);
  environment["CRM_OPENPHONE_API_URL"] = openphone.base_url();
  environment["CRM_OPENPHONE_API_KEY"] = "prometheus-names-test-key";
  crmd_process crmd(environment);
  auto session = login_new_user(crmd.port(), database.url());
  auto started = http_request(crmd.port(), "POST", "/api/v1/reconciliations", "{}",
                              session.headers({{"Content-Type", "application/json"}}));
  ASSERT_EQ(started.status, 202u) << started.body;
  ASSERT_TRUE(openphone.wait_for_requests(2, 30s)) << "the reconciliation retried no API call";
  auto unknown = post_webhook(
    crmd.port(), R"({"id":"EVnames1","object":"event","apiVersion":"v3","createdAt":"2026-01-01T00:00:00.000Z","type":"something.new","data":{"object":{}}})");
  ASSERT_EQ(unknown.status, 202u) << unknown.body;
  http_get(crmd.port(), "/metrics");  // the HTTP request families count this one
  auto families = exported_families(crmd.port());
  ASSERT_TRUE(families.contains("crmd_process_open_fds")) << "no # TYPE lines in /metrics";

  std::set<std::string> named;
  for (const auto& expr : dashboard_exprs())
    for (const auto& name : crmd_names_in(expr))
      named.insert(name);
  auto dashboard_count = named.size();
  for (const auto& name : crmd_names_in(read_file(rules_path())))
    named.insert(name);
  EXPECT_GE(dashboard_count, 20u) << "the dashboard's queries were not found";

  for (const auto& name : named)
    EXPECT_TRUE(exported(families, name))
      << name << " is named by dashboards/ but crmd's /metrics has no such family";
}

// Every alert in crmd-rules.yml has a promtool case where it fires and one where it does not
// (PrometheusRules.UnitTests runs them).
TEST(Dashboards, EveryAlertHasFiringAndQuietRuleTests) {
  std::set<std::string> alerts;
  std::regex alert_line(R"(-\s+alert:\s+(\w+))");
  auto rules = read_file(rules_path());
  for (auto it = std::sregex_iterator(rules.begin(), rules.end(), alert_line);
       it != std::sregex_iterator(); ++it)
    alerts.insert((*it)[1].str());
  ASSERT_GE(alerts.size(), 16u);

  auto tests = read_file(rules_test_path());
  std::set<std::string> quiet, firing;
  std::regex quiet_case(R"(alertname:\s+(\w+),\s+exp_alerts:\s+\[\])");
  for (auto it = std::sregex_iterator(tests.begin(), tests.end(), quiet_case);
       it != std::sregex_iterator(); ++it)
    quiet.insert((*it)[1].str());
  std::regex firing_case(R"(alertname:\s+(\w+)\s*\n\s+exp_alerts:\s*\n\s+- exp_labels)");
  for (auto it = std::sregex_iterator(tests.begin(), tests.end(), firing_case);
       it != std::sregex_iterator(); ++it)
    firing.insert((*it)[1].str());
  for (const auto& alert : alerts) {
    EXPECT_TRUE(quiet.contains(alert)) << alert << " has no case where it must not fire";
    EXPECT_TRUE(firing.contains(alert)) << alert << " has no case where it fires";
  }
}

}  // namespace
}  // namespace crmd::testing
