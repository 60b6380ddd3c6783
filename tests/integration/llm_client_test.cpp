// The LLM client actor against tools/llm-emulator over real HTTP: keyword verdicts end to end,
// the bearer key, 429 with Retry-After honoured, 5xx and dropped connections retried until a
// success, timeouts, a bad key failing at once, and the concurrency limit. Counts come from the
// emulator's /_emulator/requests and the client's metrics.
#include "actors/llm_client_actor.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"

#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <unistd.h>
#include <variant>

namespace crmd::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using clock_type = std::chrono::steady_clock;

const std::string api_key = "sk-test-emulator-key";
const std::string campaign_text = "Hi Ada, spring special: free foundation inspection. Interested?";

// tools/llm-emulator as a child process; `flags` add to --listen and --key.
class llm_emulator {
 public:
  explicit llm_emulator(std::vector<std::string> flags)
    : output_("/tmp/crmd-llm-emulator-" + std::to_string(::getpid()) + "-"
              + std::to_string(counter_++)),
      process_(CRMD_LLM_EMULATOR, arguments(std::move(flags)), output_) {
    port_ = wait_for_listening_port(output_, 10s);
  }
  ~llm_emulator() { std::remove(output_.c_str()); }

  std::uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  json stats() const {
    auto reply = http_request(port_, "GET", "/_emulator/requests");
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return json::parse(reply.body);
  }

 private:
  static std::vector<std::string> arguments(std::vector<std::string> flags) {
    std::vector<std::string> out{"--listen", "127.0.0.1:0", "--key", api_key};
    out.insert(out.end(), flags.begin(), flags.end());
    return out;
  }

  static inline std::atomic<int> counter_{0};
  std::string output_;
  child_process process_;
  std::uint16_t port_ = 0;
};

using call_result = std::variant<llm_classification, std::string>;  // verdict or error text

class LlmClient : public ::testing::Test {
 protected:
  void TearDown() override {
    if (client_)
      caf::anon_send_exit(client_, caf::exit_reason::user_shutdown);
    system_.await_all_actors_done();
  }

  // Fast backoff and a short timeout keep the suite quick; each test overrides what it checks.
  static llm_client_config config(const llm_emulator& emulator) {
    return {.base_url = emulator.base_url(),
            .api_key = api_key,
            .model = "gpt-4o-mini",
            .timeout = 2000ms,
            .max_attempts = 4,
            .backoff_min = 10ms,
            .backoff_max = 40ms};
  }

  void spawn(llm_client_config cfg) {
    client_ = spawn_llm_client(system_, std::move(cfg), registry_);
  }

  call_result classify(const std::string& reply) {
    caf::scoped_actor self{system_};
    call_result out = std::string("no reply");
    self->request(client_, 30s, classify_reply_atom_v, llm_classify_request{reply, campaign_text})
      .receive([&out](llm_classification& result) { out = std::move(result); },
               [&out](caf::error& error) { out = caf::to_string(error); });
    return out;
  }

  static llm_classification classified(const call_result& result) {
    if (const auto* error = std::get_if<std::string>(&result)) {
      ADD_FAILURE() << "failed: " << *error;
      return {};
    }
    return std::get<llm_classification>(result);
  }

  static std::string failed(const call_result& result) {
    if (const auto* answer = std::get_if<llm_classification>(&result)) {
      ADD_FAILURE() << "classified: " << answer->verdict;
      return {};
    }
    return std::get<std::string>(result);
  }

  // The value of one sample line of the registry's exposition, 0 when absent. Sample lines
  // start a line; "# HELP name …" would match a label-less name too.
  double metric(const std::string& series) {
    auto text = "\n" + prometheus::TextSerializer().Serialize(registry_.Collect());
    auto at = text.find("\n" + series + " ");
    return at == std::string::npos ? 0 : std::stod(text.substr(at + series.size() + 2));
  }

  static int count(const json& stats, int status) {
    return stats["by_status"].value(std::to_string(status), 0);
  }

  caf::actor_system_config cfg_;
  caf::actor_system system_{cfg_.set("scheduler.max-threads", size_t{2})};
  prometheus::Registry registry_;
  llm_client_actor client_;
};

TEST_F(LlmClient, ClassifiesRepliesThroughTheEmulatorsKeywordRule) {
  llm_emulator emulator({});
  ASSERT_NE(emulator.port(), 0);
  spawn(config(emulator));
  auto yes = classified(classify("Sure, call me tomorrow after 5"));
  EXPECT_EQ(yes.verdict, "positive");
  EXPECT_FALSE(yes.reason.empty());
  EXPECT_LE(yes.reason.size(), 200u);
  EXPECT_EQ(classified(classify("Not interested, thanks")).verdict, "negative");
  EXPECT_EQ(classified(classify("Who is this?")).verdict, "neutral");
  // The campaign text says "Interested?": only the reply may decide.
  EXPECT_EQ(classified(classify("what does it cost")).verdict, "neutral");
  auto stats = emulator.stats();
  EXPECT_EQ(stats["count"], 4);
  EXPECT_EQ(count(stats, 200), 4);
  EXPECT_EQ(metric("crmd_llm_requests_total{status=\"200\"}"), 4);
  EXPECT_EQ(metric("crmd_llm_classifications_total{result=\"positive\"}"), 1);
  EXPECT_EQ(metric("crmd_llm_classifications_total{result=\"neutral\"}"), 2);
  EXPECT_EQ(metric("crmd_llm_request_duration_seconds_count"), 4);
}

TEST_F(LlmClient, AWrongKeyFailsAtOnceWithoutRetrying) {
  llm_emulator emulator({});
  auto cfg = config(emulator);
  cfg.api_key = "sk-wrong";
  spawn(cfg);
  auto error = failed(classify("yes"));
  EXPECT_NE(error.find("[crmd.llm.http_401]"), std::string::npos) << error;
  EXPECT_EQ(error.find("sk-wrong"), std::string::npos) << "the key never appears: " << error;
  EXPECT_EQ(emulator.stats()["count"], 1);
  EXPECT_EQ(metric("crmd_llm_classifications_total{result=\"failed\"}"), 1);
}

TEST_F(LlmClient, WaitsOutA429sRetryAfterForEveryCall) {
  // One completion per second: of three concurrent calls, two meet a 429 with Retry-After: 1.
  llm_emulator emulator({"--rate-limit", "1"});
  auto cfg = config(emulator);
  cfg.max_attempts = 6;
  spawn(cfg);
  caf::scoped_actor self{system_};
  auto started = clock_type::now();
  for (auto reply : {"yes", "no", "maybe"})
    self->send(client_, classify_reply_atom_v, llm_classify_request{reply, campaign_text});
  std::vector<std::string> verdicts;
  for (int i = 0; i < 3; ++i)
    self->receive([&](llm_classification& result) { verdicts.push_back(result.verdict); },
                  [&](caf::error& error) { ADD_FAILURE() << caf::to_string(error); },
                  caf::after(30s) >> [&] { ADD_FAILURE() << "no answer"; });
  auto took = clock_type::now() - started;
  std::sort(verdicts.begin(), verdicts.end());
  EXPECT_EQ(verdicts, (std::vector<std::string>{"negative", "neutral", "positive"}));
  // Three accepted completions at one per second, each 429 honoured: at least two seconds.
  EXPECT_GE(took, 1900ms);
  auto stats = emulator.stats();
  EXPECT_EQ(count(stats, 200), 3);
  EXPECT_GE(count(stats, 429), 2);
  // Honouring Retry-After keeps the 429s few: without it the backoff (10–40 ms) would hammer.
  EXPECT_LE(count(stats, 429), 6);
  EXPECT_GE(metric("crmd_llm_retries_total"), 2);
}

TEST_F(LlmClient, ARetryAfterBeyondTheLimitFailsInsteadOfWaiting) {
  llm_emulator emulator({"--rate-limit", "1"});
  auto cfg = config(emulator);
  cfg.max_retry_after = 500ms;
  spawn(cfg);
  EXPECT_EQ(classified(classify("yes")).verdict, "positive");
  auto error = failed(classify("yes"));
  EXPECT_NE(error.find("[crmd.llm.rate_limited]"), std::string::npos) << error;
  EXPECT_EQ(emulator.stats()["count"], 2);
}

TEST_F(LlmClient, RetriesServerErrorsUntilOneSucceeds) {
  llm_emulator emulator({"--fail-rate", "0.5", "--seed", "7"});
  auto cfg = config(emulator);
  cfg.max_attempts = 20;
  spawn(cfg);
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(classified(classify("yes please")).verdict, "positive") << i;
  auto stats = emulator.stats();
  EXPECT_EQ(count(stats, 200), 8);
  int errors = count(stats, 500) + count(stats, 503);
  EXPECT_GT(errors, 0) << stats.dump();
  EXPECT_EQ(metric("crmd_llm_retries_total"), errors);
  EXPECT_EQ(metric("crmd_llm_requests_total{status=\"500\"}")
              + metric("crmd_llm_requests_total{status=\"503\"}"),
            errors);
}

TEST_F(LlmClient, RetriesDroppedConnectionsUntilOneSucceeds) {
  llm_emulator emulator({"--drop-rate", "0.5", "--seed", "11"});
  auto cfg = config(emulator);
  cfg.max_attempts = 20;
  spawn(cfg);
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(classified(classify("wrong number")).verdict, "negative") << i;
  auto dropped = metric("crmd_llm_requests_total{status=\"connection_closed\"}");
  EXPECT_GT(dropped, 0);
  EXPECT_EQ(metric("crmd_llm_requests_total{status=\"200\"}"), 8);
  EXPECT_EQ(emulator.stats()["count"], 8 + dropped);
}

TEST_F(LlmClient, ATimedOutCallIsRetriedThenFails) {
  llm_emulator emulator({"--slow-ms", "800"});
  auto cfg = config(emulator);
  cfg.timeout = 200ms;
  cfg.max_attempts = 3;
  spawn(cfg);
  auto started = clock_type::now();
  auto error = failed(classify("yes"));
  EXPECT_NE(error.find("[crmd.llm.retries_exhausted]"), std::string::npos) << error;
  EXPECT_NE(error.find("timeout"), std::string::npos) << error;
  EXPECT_GE(clock_type::now() - started, 600ms);
  EXPECT_EQ(metric("crmd_llm_requests_total{status=\"timeout\"}"), 3);
  EXPECT_EQ(emulator.stats()["count"], 3);
}

TEST_F(LlmClient, ASlowAnswerWithinTheTimeoutSucceeds) {
  llm_emulator emulator({"--slow-ms", "300"});
  auto cfg = config(emulator);
  cfg.timeout = 2000ms;
  spawn(cfg);
  EXPECT_EQ(classified(classify("interested")).verdict, "positive");
  EXPECT_EQ(emulator.stats()["count"], 1);
}

TEST_F(LlmClient, RunsAtMostMaxInFlightAttemptsAtOnce) {
  llm_emulator emulator({"--slow-ms", "300"});
  auto cfg = config(emulator);
  cfg.max_in_flight = 2;
  spawn(cfg);
  caf::scoped_actor self{system_};
  auto started = clock_type::now();
  for (int i = 0; i < 6; ++i)
    self->send(client_, classify_reply_atom_v, llm_classify_request{"yes", campaign_text});
  int answered = 0;
  for (int i = 0; i < 6; ++i)
    self->receive([&](llm_classification&) { ++answered; },
                  [&](caf::error& error) { ADD_FAILURE() << caf::to_string(error); },
                  caf::after(30s) >> [&] { ADD_FAILURE() << "no answer"; });
  EXPECT_EQ(answered, 6);
  EXPECT_GE(clock_type::now() - started, 850ms) << "three waves of two";
  auto stats = emulator.stats();
  EXPECT_EQ(stats["max_in_flight"], 2);
  EXPECT_EQ(stats["count"], 6);
}

TEST_F(LlmClient, ABrokenEndpointFailsEveryCallClearly) {
  llm_emulator emulator({});
  auto cfg = config(emulator);
  cfg.base_url = emulator.base_url() + "/nowhere";
  spawn(cfg);
  auto error = failed(classify("yes"));
  EXPECT_NE(error.find("[crmd.llm.http_404]"), std::string::npos) << error;
}

TEST_F(LlmClient, AnExitFailsWhatIsStillPending) {
  llm_emulator emulator({"--slow-ms", "5000"});
  auto cfg = config(emulator);
  cfg.timeout = 10000ms;
  spawn(cfg);
  caf::scoped_actor self{system_};
  self->send(client_, classify_reply_atom_v, llm_classify_request{"yes", campaign_text});
  for (int i = 0; i < 100 && emulator.stats()["count"] == 0; ++i)
    std::this_thread::sleep_for(20ms);
  caf::anon_send_exit(client_, caf::exit_reason::user_shutdown);
  std::string error;
  self->receive([&](llm_classification&) { ADD_FAILURE() << "classified"; },
                [&](caf::error& e) { error = caf::to_string(e); },
                caf::after(5s) >> [&] { ADD_FAILURE() << "no answer"; });
  EXPECT_NE(error.find("[crmd.llm.shutdown]"), std::string::npos) << error;
}

}  // namespace
}  // namespace crmd::testing
