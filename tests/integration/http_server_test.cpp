#include "net/http_server.hpp"
#include "tests/support/http_client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <cstdio>
#include <fstream>
#include <future>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <thread>

namespace crmd::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace std::chrono_literals;
using tcp = asio::ip::tcp;
using reply = http::response<http::string_body>;

// A blocking client on one connection, so tests can check keep-alive reuse and speak raw bytes.
// Every operation is async with a deadline, so a misbehaving server fails the test, not hangs it.
class test_connection {
 public:
  explicit test_connection(std::uint16_t port) : stream_(io_) {
    stream_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  reply send(http::verb method, std::string target, std::string body = {},
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers)
      request.set(name, value);
    request.body() = std::move(body);
    request.prepare_payload();
    beast::error_code ec;
    stream_.expires_after(10s);
    http::async_write(stream_, request, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec)
      throw beast::system_error(ec);
    return read(method == http::verb::head);
  }

  void write_raw(std::string_view bytes) {
    beast::error_code ec;
    stream_.expires_after(10s);
    asio::async_write(stream_, asio::buffer(bytes),
                      [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec)
      throw beast::system_error(ec);
  }

  reply read(bool head = false) {
    http::response_parser<http::string_body> parser;
    parser.skip(head);
    beast::error_code ec;
    stream_.expires_after(10s);
    http::async_read(stream_, buffer_, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec)
      throw beast::system_error(ec);
    return parser.release();
  }

  // True when the server closed the connection (clean EOF or reset) within the deadline.
  bool closed_by_server(std::chrono::seconds deadline = 10s) {
    char byte = 0;
    beast::error_code ec;
    stream_.expires_after(deadline);
    stream_.async_read_some(asio::buffer(&byte, 1),
                            [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  void run() {
    io_.restart();
    io_.run();
  }

  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

nlohmann::json error_of(const reply& r) {
  return nlohmann::json::parse(r.body()).at("error");
}

bool is_hex16(std::string_view id) {
  return std::regex_match(std::string(id), std::regex("[0-9a-f]{16}"));
}

class HttpServerTest : public ::testing::Test {
 protected:
  ~HttpServerTest() override {
    if (server_ && !shut_down_)
      shutdown_and_wait(1s);
    work_.reset();
    io_.stop();
    for (auto& thread : threads_)
      thread.join();
    std::lock_guard lock(mutex_);
    for (auto& worker : workers_)
      worker.join();
  }

  void start(http_server_config config = {}) {
    config.address = "127.0.0.1";
    config.port = 0;
    server_ = std::make_unique<http_server>(io_, config, make_routes(), registry_);
    port_ = server_->start();
    for (int i = 0; i < 2; ++i)
      threads_.emplace_back([this] { io_.run(); });
  }

  static http_server_config short_timeouts() {
    http_server_config config;
    config.body_limit = 1024;
    config.handler_timeout = 200ms;
    return config;
  }

  std::future<void> shutdown(std::chrono::milliseconds grace) {
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    server_->shutdown(grace, [done] { done->set_value(); });
    shut_down_ = true;
    return future;
  }

  void shutdown_and_wait(std::chrono::milliseconds grace) {
    ASSERT_EQ(shutdown(grace).wait_for(10s), std::future_status::ready);
  }

  bool accepting() {
    asio::io_context io;
    tcp::socket socket(io);
    beast::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
    return !ec;
  }

  std::string scrape() {
    return prometheus::TextSerializer().Serialize(registry_.Collect());
  }

  router make_routes() {
    router routes;
    routes.add("GET", "/hello", "hello", [](http_request&&, responder respond) {
      http_response response;
      response.content_type = "text/plain";
      response.body = "hello";
      respond(std::move(response));
    });
    routes.add("GET", "/items/{id}", "item", [](http_request&& request, responder respond) {
      nlohmann::json body = {{"id", request.path_params.at("id")},
                             {"q", request.query_param("q").value_or("")},
                             {"request_id", request.request_id}};
      respond(json_response(200, body.dump()));
    });
    routes.add("DELETE", "/items/{id}", "item_delete", [](http_request&&, responder respond) {
      respond(json_response(204, ""));
    });
    routes.add("POST", "/echo", "echo", [](http_request&& request, responder respond) {
      respond(json_response(200, std::move(request.body)));
    });
    routes.add("GET", "/delayed", "delayed", [this](http_request&&, responder respond) {
      auto timer = std::make_shared<asio::steady_timer>(io_, 20ms);
      timer->async_wait([timer, respond](beast::error_code) { respond(json_response(200, "{}")); });
    });
    routes.add("GET", "/other-thread", "other_thread", [this](http_request&&, responder respond) {
      std::lock_guard lock(mutex_);
      workers_.emplace_back([respond] { respond(json_response(200, R"({"from":"worker"})")); });
    });
    routes.add("GET", "/throw", "throw", [](http_request&&, responder) {
      throw std::runtime_error("handler exploded");
    });
    routes.add("GET", "/never", "never", [](http_request&&, responder) {});
    routes.add("GET", "/twice", "twice", [](http_request&&, responder respond) {
      respond(json_response(200, R"({"n":1})"));
      respond(json_response(200, R"({"n":2})"));
    });
    routes.add("GET", "/gate", "gate", [this](http_request&&, responder respond) {
      std::lock_guard lock(mutex_);
      gate_ = std::move(respond);
      gate_entered_.set_value();
    });
    return routes;
  }

  void release_gate() {
    responder respond;
    {
      std::lock_guard lock(mutex_);
      respond = std::move(gate_);
    }
    ASSERT_TRUE(respond);
    respond(json_response(200, R"({"gate":"open"})"));
  }

  // Destroyed last: sessions still unwinding in io_ update metrics in the registry.
  prometheus::Registry registry_;
  asio::io_context io_{2};
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  std::unique_ptr<http_server> server_;
  std::uint16_t port_ = 0;
  bool shut_down_ = false;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::vector<std::thread> workers_;
  responder gate_;
  std::promise<void> gate_entered_;
};

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  test_connection connection(port_);
  for (int i = 0; i < 3; ++i) {
    auto r = connection.send(http::verb::get, "/hello");
    EXPECT_EQ(r.result_int(), 200u);
    EXPECT_EQ(r.body(), "hello");
    EXPECT_TRUE(r.keep_alive());
    EXPECT_EQ(r[http::field::server], "crmd");
    EXPECT_EQ(r[http::field::content_type], "text/plain");
    EXPECT_EQ(r[http::field::content_length], "5");
  }
  auto item = connection.send(http::verb::get, "/items/a%20b?q=x+y");
  EXPECT_EQ(nlohmann::json::parse(item.body())["id"], "a b");
  EXPECT_EQ(nlohmann::json::parse(item.body())["q"], "x y");
  EXPECT_NE(scrape().find("crmd_http_connections_total 1"), std::string::npos) << scrape();
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  start();
  test_connection connection(port_);
  auto r = connection.send(http::verb::get, "/hello", {}, {{"Connection", "close"}});
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(connection.closed_by_server());
}

TEST_F(HttpServerTest, UnknownPathIs404Json) {
  start();
  auto r = testing::http_get(port_, "/nope");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "not_found");
}

TEST_F(HttpServerTest, WrongMethodIs405WithAllow) {
  start();
  test_connection connection(port_);
  auto r = connection.send(http::verb::post, "/items/1", "{}");
  EXPECT_EQ(r.result_int(), 405u);
  EXPECT_EQ(r[http::field::allow], "GET, DELETE, HEAD");
  EXPECT_EQ(error_of(r)["code"], "method_not_allowed");
  EXPECT_EQ(connection.send(http::verb::get, "/hello").result_int(), 200u);
}

TEST_F(HttpServerTest, HeadUsesGetHandlerWithoutBody) {
  start();
  test_connection connection(port_);
  auto r = connection.send(http::verb::head, "/hello");
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_EQ(r[http::field::content_length], "5");
  EXPECT_TRUE(r.body().empty());
  // The connection is still in sync: no stray body bytes precede the next response.
  EXPECT_EQ(connection.send(http::verb::get, "/hello").body(), "hello");
}

TEST_F(HttpServerTest, NoContentHasNoBody) {
  start();
  test_connection connection(port_);
  auto r = connection.send(http::verb::delete_, "/items/3");
  EXPECT_EQ(r.result_int(), 204u);
  EXPECT_EQ(r.count(http::field::content_length), 0u);
  EXPECT_EQ(connection.send(http::verb::get, "/hello").result_int(), 200u);
}

TEST_F(HttpServerTest, BodyWithinLimitIsDelivered) {
  start(short_timeouts());
  auto r = testing::http_request(port_, "POST", "/echo", std::string(1000, 'a'));
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, std::string(1000, 'a'));
}

TEST_F(HttpServerTest, OversizedBodyIs413) {
  start(short_timeouts());
  test_connection connection(port_);
  auto r = connection.send(http::verb::post, "/echo", std::string(64 * 1024, 'a'));
  EXPECT_EQ(r.result_int(), 413u);
  EXPECT_EQ(error_of(r)["code"], "payload_too_large");
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(connection.closed_by_server());
  EXPECT_NE(scrape().find(R"(method="POST",route="echo",status="413"} 1)"), std::string::npos)
    << scrape();
}

TEST_F(HttpServerTest, GarbageIs400AndClose) {
  start();
  test_connection connection(port_);
  connection.write_raw("this is not http\r\n\r\n");
  auto r = connection.read();
  EXPECT_EQ(r.result_int(), 400u);
  EXPECT_EQ(error_of(r)["code"], "bad_request");
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(connection.closed_by_server());
}

TEST_F(HttpServerTest, OversizedHeadersAre431) {
  http_server_config config;
  config.header_limit = 1024;
  start(config);
  test_connection connection(port_);
  auto r = connection.send(http::verb::get, "/hello", {}, {{"X-Big", std::string(4096, 'x')}});
  EXPECT_EQ(r.result_int(), 431u);
  EXPECT_TRUE(connection.closed_by_server());
}

TEST_F(HttpServerTest, AsyncRespondersFromTimerAndOtherThread) {
  start();
  test_connection connection(port_);
  EXPECT_EQ(connection.send(http::verb::get, "/delayed").result_int(), 200u);
  auto r = connection.send(http::verb::get, "/other-thread");
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_EQ(nlohmann::json::parse(r.body())["from"], "worker");
}

TEST_F(HttpServerTest, ThrowingHandlerIs500AndConnectionSurvives) {
  start();
  test_connection connection(port_);
  auto r = connection.send(http::verb::get, "/throw");
  EXPECT_EQ(r.result_int(), 500u);
  EXPECT_EQ(error_of(r)["code"], "internal_error");
  EXPECT_EQ(r.body().find("exploded"), std::string::npos) << "exception text leaked";
  EXPECT_EQ(connection.send(http::verb::get, "/hello").result_int(), 200u);
}

TEST_F(HttpServerTest, SilentHandlerIs503AfterHandlerTimeout) {
  start(short_timeouts());
  test_connection connection(port_);
  auto r = connection.send(http::verb::get, "/never");
  EXPECT_EQ(r.result_int(), 503u);
  EXPECT_EQ(error_of(r)["code"], "handler_timeout");
  EXPECT_EQ(connection.send(http::verb::get, "/hello").result_int(), 200u);
}

TEST_F(HttpServerTest, SecondResponderCallIsIgnored) {
  start();
  test_connection connection(port_);
  auto r = connection.send(http::verb::get, "/twice");
  EXPECT_EQ(nlohmann::json::parse(r.body())["n"], 1);
  auto next = connection.send(http::verb::get, "/hello");
  EXPECT_EQ(next.body(), "hello");
}

TEST_F(HttpServerTest, LateResponderAfterTimeoutIsIgnored) {
  start(short_timeouts());
  test_connection connection(port_);
  auto r = connection.send(http::verb::get, "/gate");
  EXPECT_EQ(r.result_int(), 503u);
  release_gate();
  EXPECT_EQ(connection.send(http::verb::get, "/hello").body(), "hello");
}

TEST_F(HttpServerTest, RequestIdIsEchoedWhenSane) {
  start();
  test_connection connection(port_);
  auto r = connection.send(http::verb::get, "/items/1", {}, {{"X-Request-Id", "req-42.a_b:c"}});
  EXPECT_EQ(r["X-Request-Id"], "req-42.a_b:c");
  EXPECT_EQ(nlohmann::json::parse(r.body())["request_id"], "req-42.a_b:c");
}

TEST_F(HttpServerTest, RequestIdIsGeneratedWhenMissingOrInsane) {
  start();
  test_connection connection(port_);
  auto a = connection.send(http::verb::get, "/hello");
  auto b = connection.send(http::verb::get, "/hello");
  EXPECT_TRUE(is_hex16(a["X-Request-Id"])) << a["X-Request-Id"];
  EXPECT_NE(a["X-Request-Id"], b["X-Request-Id"]);
  auto spaced = connection.send(http::verb::get, "/hello", {}, {{"X-Request-Id", "a b"}});
  EXPECT_TRUE(is_hex16(spaced["X-Request-Id"]));
  auto long_id =
    connection.send(http::verb::get, "/hello", {}, {{"X-Request-Id", std::string(65, 'a')}});
  EXPECT_TRUE(is_hex16(long_id["X-Request-Id"]));
  auto max_id =
    connection.send(http::verb::get, "/hello", {}, {{"X-Request-Id", std::string(64, 'a')}});
  EXPECT_EQ(max_id["X-Request-Id"], std::string(64, 'a'));
}

TEST_F(HttpServerTest, ShutdownFinishesInFlightRequestAndClosesIdleOnes) {
  start();
  test_connection idle(port_);
  EXPECT_EQ(idle.send(http::verb::get, "/hello").result_int(), 200u);
  test_connection busy(port_);
  busy.write_raw("GET /gate HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(gate_entered_.get_future().wait_for(10s), std::future_status::ready);

  auto done = shutdown(10s);
  EXPECT_TRUE(idle.closed_by_server());
  for (int i = 0; i < 100 && accepting(); ++i)
    std::this_thread::sleep_for(10ms);  // the acceptor closes asynchronously
  EXPECT_FALSE(accepting());
  EXPECT_EQ(done.wait_for(0s), std::future_status::timeout) << "done before in-flight finished";

  release_gate();
  auto r = busy.read();
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_EQ(nlohmann::json::parse(r.body())["gate"], "open");
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(busy.closed_by_server());
  EXPECT_EQ(done.wait_for(10s), std::future_status::ready);
}

TEST_F(HttpServerTest, ShutdownForceClosesAfterGrace) {
  start();
  test_connection busy(port_);
  busy.write_raw("GET /gate HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(gate_entered_.get_future().wait_for(10s), std::future_status::ready);
  auto done = shutdown(50ms);
  EXPECT_EQ(done.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(busy.closed_by_server());
  release_gate();  // the session is gone: answering now must be harmless
}

TEST_F(HttpServerTest, ShutdownWithoutConnectionsCompletesAndIsRepeatable) {
  start();
  shutdown_and_wait(1s);
  EXPECT_FALSE(accepting());
  shutdown_and_wait(1s);
}

TEST_F(HttpServerTest, MetricsCountRequestsByRouteMethodAndStatus) {
  start();
  test_connection connection(port_);
  connection.send(http::verb::get, "/hello");
  connection.send(http::verb::get, "/hello");
  connection.send(http::verb::get, "/missing/1");
  connection.send(http::verb::get, "/missing/2");
  connection.send(http::verb::post, "/hello");
  auto text = scrape();
  EXPECT_NE(text.find(R"(crmd_http_requests_total{method="GET",route="hello",status="200"} 2)"),
            std::string::npos) << text;
  EXPECT_NE(text.find(R"(crmd_http_requests_total{method="GET",route="not_found",status="404"} 2)"),
            std::string::npos) << text;
  EXPECT_NE(text.find(R"(route="method_not_allowed",status="405"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(crmd_http_request_duration_seconds_count{route="hello"} 2)"),
            std::string::npos) << text;
  EXPECT_NE(text.find(R"(crmd_http_request_duration_seconds_bucket{route="hello",le="0.0005"})"),
            std::string::npos) << text;
  EXPECT_NE(text.find("crmd_http_connections_active 1"), std::string::npos) << text;
}

TEST_F(HttpServerTest, MetricsPassPromtool) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "promtool not installed";
  start();
  testing::http_get(port_, "/hello");
  testing::http_get(port_, "/nope");
  auto path = ::testing::TempDir() + "crmd_http_metrics.txt";
  std::ofstream(path) << scrape();
  EXPECT_EQ(std::system(("promtool check metrics < " + path).c_str()), 0);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace crmd::net
