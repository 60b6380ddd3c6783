// The OpenPhone client actor and the HTTP client under it, against a scripted HTTP server on
// loopback: pacing, retries (429 with Retry-After, 5xx, timeouts, dropped connections), no retry
// for other 4xx or ambiguous POST failures, the circuit breaker, shutdown, and the transport's
// own failure codes. Spacing is asserted from the server's recorded arrival times.
#include "actors/openphone_client_actor.hpp"
#include "integrations/http/http_client.hpp"
#include "integrations/http/url.hpp"
#include "tests/support/scripted_http_server.hpp"

#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <future>
#include <thread>
#include <tuple>

namespace crmd::testing {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

const std::string api_key = "raw-test-key-123";

caf::actor_system_config& two_threads(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", size_t{2});
  return cfg;
}

scripted_response status(int code, std::string body = "{}") {
  return {.status = code, .body = std::move(body)};
}

std::chrono::milliseconds gap(const std::vector<recorded_request>& requests, std::size_t later) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(requests[later].arrived
                                                               - requests[later - 1].arrived);
}

class OpenPhoneClient : public ::testing::Test {
 protected:
  void TearDown() override {
    if (client_)
      caf::anon_send_exit(client_, caf::exit_reason::user_shutdown);
    system_.await_all_actors_done();
  }

  // Fast backoff and a short timeout keep the suite quick; each test overrides what it checks.
  openphone_client_config config() const {
    return {.base_url = server_.base_url(),
            .api_key = api_key,
            .rate_per_second = 50,
            .timeout = 1000ms,
            .max_attempts = 4,
            .backoff_min = 10ms,
            .backoff_max = 40ms};
  }

  void spawn(openphone_client_config cfg) {
    client_ = spawn_openphone_client(system_, std::move(cfg), registry_);
  }

  static provider_request get(std::string endpoint = "users.list") {
    return {.target = "/v1/users?maxResults=50", .endpoint = std::move(endpoint)};
  }

  provider_result call(provider_request request) {
    caf::scoped_actor self{system_};
    provider_result out = provider_failure{"test_error", "no reply", 0};
    self->request(client_, caf::infinite, provider_request_atom_v, std::move(request))
      .receive([&out](provider_result& result) { out = std::move(result); },
               [&out](caf::error& error) {
                 out = provider_failure{"caf_error", caf::to_string(error), 0};
               });
    return out;
  }

  static provider_response answered(const provider_result& result) {
    if (const auto* failure = std::get_if<provider_failure>(&result)) {
      ADD_FAILURE() << "failed: " << failure->code << " " << failure->message;
      return {};
    }
    return std::get<provider_response>(result);
  }

  static provider_failure failed(const provider_result& result) {
    if (const auto* response = std::get_if<provider_response>(&result)) {
      ADD_FAILURE() << "answered: " << response->status;
      return {};
    }
    return std::get<provider_failure>(result);
  }

  // The value of one sample line of the registry's exposition, -1 when absent.
  double metric(const std::string& series) {
    auto text = prometheus::TextSerializer().Serialize(registry_.Collect());
    auto at = text.find(series + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + series.size() + 1));
  }

  scripted_http_server server_;
  caf::actor_system_config cfg_;
  caf::actor_system system_{two_threads(cfg_)};
  prometheus::Registry registry_;
  openphone_client_actor client_;
};

TEST_F(OpenPhoneClient, PacesCallsEvenlyAtTheConfiguredRate) {
  auto cfg = config();
  cfg.rate_per_second = 10;
  spawn(cfg);
  server_.set_fallback(status(200));
  caf::scoped_actor self{system_};
  constexpr int calls = 6;
  std::vector<int> statuses;
  for (int i = 0; i < calls; ++i)
    self->send(client_, provider_request_atom_v, get());
  for (int i = 0; i < calls; ++i)
    self->receive([&](provider_result& result) { statuses.push_back(answered(result).status); });
  EXPECT_EQ(statuses, std::vector<int>(calls, 200));
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), std::size_t{calls});
  // 100 ms per token; loopback and scheduling jitter may shift one arrival by a few ms.
  for (std::size_t i = 1; i < requests.size(); ++i)
    EXPECT_GE(gap(requests, i), 90ms) << "request " << i;
  EXPECT_EQ(server_.connections(), 1u) << "paced calls reuse one keep-alive connection";
  EXPECT_EQ(metric("crmd_provider_requests_total{endpoint=\"users.list\",provider=\"openphone\","
                   "status=\"200\"}"),
            calls);
  EXPECT_GT(metric("crmd_provider_throttle_wait_seconds_total{provider=\"openphone\"}"), 1.0);
  EXPECT_EQ(metric("crmd_provider_queue_depth{provider=\"openphone\"}"), 0);
}

TEST_F(OpenPhoneClient, SendsTheKeyRawAndTheCallersHeaders) {
  spawn(config());
  auto request = get();
  request.method = "POST";
  request.target = "/v1/messages";
  request.body = R"({"content":"hi","from":"PN1","to":["+15085550100"]})";
  request.headers = {{"Quo-Api-Version", "2026-03-30"}};
  server_.push(status(202, R"({"data":{"id":"AC1"}})"));
  EXPECT_EQ(answered(call(request)).status, 202);
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].header("authorization"), api_key);
  EXPECT_EQ(requests[0].header("content-type"), "application/json");
  EXPECT_EQ(requests[0].header("accept"), "application/json");
  EXPECT_EQ(requests[0].header("quo-api-version"), "2026-03-30");
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v1/messages");
  EXPECT_EQ(requests[0].body, request.body);
}

TEST_F(OpenPhoneClient, RetriesA429NoSoonerThanItsRetryAfter) {
  spawn(config());
  server_.push({.status = 429,
                .headers = {{"Retry-After", "1"}},
                .body = R"({"error":{"message":"Too Many Requests","key":"RateLimited"}})"});
  server_.push(status(200, R"({"data":[]})"));
  auto response = answered(call(get()));
  EXPECT_EQ(response.body, R"({"data":[]})");
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_GE(gap(requests, 1), 1000ms);
  EXPECT_EQ(metric("crmd_provider_retries_total{endpoint=\"users.list\",provider=\"openphone\"}"),
            1);
  EXPECT_EQ(metric("crmd_provider_requests_total{endpoint=\"users.list\",provider=\"openphone\","
                   "status=\"429\"}"),
            1);
}

TEST_F(OpenPhoneClient, RetriesServerErrorsUntilOneSucceeds) {
  spawn(config());
  server_.push(status(500));
  server_.push(status(503));
  server_.push(status(502));
  server_.push(status(200, "ok"));
  EXPECT_EQ(answered(call(get())).body, "ok");
  EXPECT_EQ(server_.requests().size(), 4u);
}

TEST_F(OpenPhoneClient, RetriesATimedOutCall) {
  auto cfg = config();
  cfg.timeout = 300ms;
  spawn(cfg);
  server_.push({.status = 200, .body = "too late", .delay = 800ms});
  server_.push(status(200, "in time"));
  EXPECT_EQ(answered(call(get())).body, "in time");
  EXPECT_EQ(server_.requests().size(), 2u);
  EXPECT_EQ(metric("crmd_provider_requests_total{endpoint=\"users.list\",provider=\"openphone\","
                   "status=\"timeout\"}"),
            1);
}

TEST_F(OpenPhoneClient, RetriesAConnectionDroppedMidBody) {
  spawn(config());
  server_.push({.status = 200, .body = std::string(200, 'x'), .drop_mid_body = true});
  server_.push(status(200, "whole"));
  EXPECT_EQ(answered(call(get())).body, "whole");
  EXPECT_EQ(server_.requests().size(), 2u);
  EXPECT_EQ(metric("crmd_provider_requests_total{endpoint=\"users.list\",provider=\"openphone\","
                   "status=\"connection_closed\"}"),
            1);
}

TEST_F(OpenPhoneClient, DoesNotRetryABadRequest) {
  spawn(config());
  server_.push(status(400, R"({"message":"Invalid phone number","code":"0200400"})"));
  auto failure = failed(call(get()));
  EXPECT_EQ(failure.code, "http_400");
  EXPECT_EQ(failure.status, 400);
  EXPECT_NE(failure.message.find("Invalid phone number (0200400)"), std::string::npos)
    << failure.message;
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(OpenPhoneClient, NotFoundIsAnAnswer) {
  spawn(config());
  server_.push(status(404, R"({"message":"Not Found"})"));
  EXPECT_EQ(answered(call(get())).status, 404);
}

TEST_F(OpenPhoneClient, GivesUpAfterMaxAttempts) {
  auto cfg = config();
  cfg.max_attempts = 3;
  spawn(cfg);
  server_.set_fallback(status(503));
  auto failure = failed(call(get()));
  EXPECT_EQ(failure.code, "retries_exhausted");
  EXPECT_EQ(failure.status, 503);
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_F(OpenPhoneClient, RepeatsAPostOnlyWhenTheServerSurelyDidNotActOnIt) {
  spawn(config());
  auto send = get("messages.send");
  send.method = "POST";
  send.body = "{}";
  server_.push(status(503));
  EXPECT_EQ(failed(call(send)).code, "http_503") << "a 503 may have sent the SMS";
  server_.push({.status = 429, .headers = {{"Retry-After", "0"}}});
  server_.push(status(202));
  EXPECT_EQ(answered(call(send)).status, 202);
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_F(OpenPhoneClient, CircuitOpensFailsFastAndClosesAfterASuccessfulProbe) {
  auto cfg = config();
  cfg.max_attempts = 1;
  cfg.breaker_failures = 3;
  cfg.breaker_cooldown = 400ms;
  spawn(cfg);
  server_.set_fallback(status(500));
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(failed(call(get())).code, "retries_exhausted");
  EXPECT_EQ(metric("crmd_provider_circuit_open{provider=\"openphone\"}"), 1);
  auto fast = failed(call(get()));
  EXPECT_EQ(fast.code, "circuit_open");
  EXPECT_EQ(server_.requests().size(), 3u) << "an open circuit sends nothing";

  server_.set_fallback(status(200, "back"));
  std::this_thread::sleep_for(450ms);  // the cooldown runs on the real clock here
  EXPECT_EQ(answered(call(get())).body, "back");
  EXPECT_EQ(metric("crmd_provider_circuit_open{provider=\"openphone\"}"), 0);
  EXPECT_EQ(answered(call(get())).body, "back");
}

// Sync health's view: every attempt counts, failed unless answered (2xx or 404).
TEST_F(OpenPhoneClient, ReportsItsErrorRatioForSyncHealth) {
  spawn(config());
  auto health = [this] {
    caf::scoped_actor self{system_};
    std::tuple<std::string, double, std::int64_t> out{"none", -1, -1};
    self->request(client_, 5s, atoms::provider_health_atom_v)
      .receive(
        [&out](const std::string& circuit, double ratio, std::int64_t calls) {
          out = {circuit, ratio, calls};
        },
        [](caf::error& error) { ADD_FAILURE() << caf::to_string(error); });
    return out;
  };
  EXPECT_EQ(health(), std::make_tuple(std::string("closed"), 0.0, std::int64_t{0}));
  server_.push(status(503));
  server_.push(status(200));
  EXPECT_EQ(answered(call(get())).status, 200);
  server_.push(status(404));
  EXPECT_EQ(answered(call(get())).status, 404);
  server_.push(status(400));
  EXPECT_EQ(failed(call(get())).code, "http_400");
  EXPECT_EQ(health(), std::make_tuple(std::string("closed"), 0.5, std::int64_t{4}));
}

TEST_F(OpenPhoneClient, ShutdownAnswersPendingCallsAndStopsPromptly) {
  spawn(config());
  server_.push({.status = 200, .delay = 5000ms});
  auto started = clock_type::now();
  {
    caf::scoped_actor self{system_};
    self->send(client_, provider_request_atom_v, get());
    ASSERT_TRUE(server_.wait_for_requests(1, 2000ms));
    started = clock_type::now();
    caf::anon_send_exit(client_, caf::exit_reason::user_shutdown);
    self->receive([](provider_result& result) { EXPECT_EQ(failed(result).code, "shutdown"); });
  }
  system_.await_all_actors_done();
  EXPECT_LT(clock_type::now() - started, 1s);
  client_ = nullptr;
}

TEST_F(OpenPhoneClient, ARestartedClientKeepsCountingInTheSameSeries) {
  server_.set_fallback(status(200));
  spawn(config());
  EXPECT_EQ(answered(call(get())).status, 200);
  caf::anon_send_exit(client_, caf::exit_reason::user_shutdown);
  system_.await_all_actors_done();
  spawn(config());  // as the supervisor does after a crash: same registry, same families
  EXPECT_EQ(answered(call(get())).status, 200);
  EXPECT_EQ(metric("crmd_provider_requests_total{endpoint=\"users.list\",provider=\"openphone\","
                   "status=\"200\"}"),
            2);
}

// The HTTP client on its own: the transport failures the actor's policies are built on.
class HttpClient : public ::testing::Test {
 protected:
  http::http_result send(http::http_client_config config, http::http_request request) {
    http::http_client client(std::move(config));
    client.start();
    std::promise<http::http_result> done;
    client.send(std::move(request), [&done](http::http_result result) {
      done.set_value(std::move(result));
    });
    return done.get_future().get();
  }

  static http::transport_error code(const http::http_result& result) {
    if (std::holds_alternative<http::http_response>(result)) {
      ADD_FAILURE() << "got a response";
      return http::transport_error::stopped;
    }
    return std::get<http::http_failure>(result).code;
  }

  scripted_http_server server_;
};

TEST_F(HttpClient, ReturnsStatusHeadersAndBodyOnTopOfABasePath) {
  server_.push({.status = 201, .headers = {{"Retry-After", "7"}}, .body = "made"});
  auto result = send({.base_url = server_.base_url() + "/prefix/"}, {.target = "/v1/x?a=%2B1"});
  ASSERT_TRUE(std::holds_alternative<http::http_response>(result));
  const auto& response = std::get<http::http_response>(result);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.header("retry-after"), "7");
  EXPECT_EQ(response.body, "made");
  EXPECT_EQ(server_.requests().at(0).target, "/prefix/v1/x?a=%2B1");
  EXPECT_EQ(server_.requests().at(0).header("host"), "127.0.0.1:" + std::to_string(server_.port()));
}

TEST_F(HttpClient, ReusesAKeepAliveConnectionAcrossBodilessResponses) {
  server_.push(status(204, ""));
  server_.push(status(200, "second"));
  http::http_client client({.base_url = server_.base_url()});
  client.start();
  for (std::string expected : {"", "second"}) {
    std::promise<http::http_result> done;
    client.send({.target = "/"}, [&done](http::http_result r) { done.set_value(std::move(r)); });
    auto result = done.get_future().get();
    ASSERT_TRUE(std::holds_alternative<http::http_response>(result));
    EXPECT_EQ(std::get<http::http_response>(result).body, expected);
  }
  EXPECT_EQ(server_.connections(), 1u);
}

TEST_F(HttpClient, RefusesBodiesOverTheLimit) {
  server_.push(status(200, std::string(4096, 'x')));
  EXPECT_EQ(code(send({.base_url = server_.base_url(), .body_limit = 1024}, {.target = "/"})),
            http::transport_error::body_too_large);
}

TEST_F(HttpClient, TlsToAPlainServerFailsTheHandshake) {
  auto url = "https://127.0.0.1:" + std::to_string(server_.port());
  EXPECT_EQ(code(send({.base_url = url, .timeout = 2000ms}, {.target = "/"})),
            http::transport_error::tls_failed);
}

TEST_F(HttpClient, ClosedPortIsConnectFailed) {
  std::string url;
  {
    scripted_http_server gone;
    url = gone.base_url();
  }
  EXPECT_EQ(code(send({.base_url = url}, {.target = "/"})), http::transport_error::connect_failed);
}

TEST_F(HttpClient, MalformedRequestsAreRefusedBeforeSending) {
  auto base = http::http_client_config{.base_url = server_.base_url()};
  EXPECT_EQ(code(send(base, {.target = "/a b"})), http::transport_error::invalid_request);
  EXPECT_EQ(code(send(base, {.method = "FETCH", .target = "/"})),
            http::transport_error::invalid_request);
  EXPECT_EQ(code(send(base, {.target = "/", .headers = {{"X-Evil", "a\r\nInjected: 1"}}})),
            http::transport_error::invalid_request);
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(HttpClient, StopAnswersEveryPendingRequestWithStopped) {
  server_.push({.status = 200, .delay = 5000ms});
  http::http_client client({.base_url = server_.base_url()});
  client.start();
  std::promise<http::http_result> done;
  client.send({.target = "/"}, [&done](http::http_result result) {
    done.set_value(std::move(result));
  });
  ASSERT_TRUE(server_.wait_for_requests(1, 2000ms));
  client.stop();
  auto result = done.get_future();
  ASSERT_EQ(result.wait_for(0s), std::future_status::ready);
  EXPECT_EQ(code(result.get()), http::transport_error::stopped);
  std::promise<http::http_result> after;
  client.send({.target = "/"}, [&after](http::http_result r) { after.set_value(std::move(r)); });
  EXPECT_EQ(code(after.get_future().get()), http::transport_error::stopped);
}

TEST(HttpUrl, ParsesSchemesHostsPortsAndPaths) {
  auto url = http::parse_url("https://api.openphone.com/v1/x?y=1");
  ASSERT_TRUE(url);
  EXPECT_TRUE(url->where.tls);
  EXPECT_EQ(url->where.host, "api.openphone.com");
  EXPECT_EQ(url->where.port, 443);
  EXPECT_EQ(url->path, "/v1/x?y=1");
  EXPECT_EQ(url->where.host_header(), "api.openphone.com");
  auto v6 = http::parse_url("http://[::1]:8080");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->where.host, "::1");
  EXPECT_EQ(v6->where.host_header(), "[::1]:8080");
  EXPECT_TRUE(v6->where.host_is_ip());
  for (auto bad : {"ftp://x", "http://", "http://:80", "http://x:0", "http://x:99999",
                   "http://u@x/", "http://x/a b", "http://x/#f", "http://[::1", "http://::1/"})
    EXPECT_FALSE(http::parse_url(bad)) << bad;
}

}  // namespace
}  // namespace crmd::testing
