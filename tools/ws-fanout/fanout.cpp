#include "tools/ws-fanout/fanout.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <deque>
#include <functional>
#include <memory>
#include <thread>

namespace crmd::tools::ws_fanout {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;
using error_code = boost::system::error_code;

constexpr std::size_t max_reported_failures = 5;

// Shared by every client; everything runs on the single io thread, so no locking.
struct bench {
  const options& opts;
  asio::io_context& io;
  tcp::resolver::results_type endpoints;
  result out;
  clock::time_point started = clock::now();
  std::optional<clock::time_point> triggered;
  int pending = 0;  // clients not yet subscribed or failed
  int waiting = 0;  // subscribed clients without their event yet
  std::deque<std::function<void()>> to_connect;
  int connecting = 0;
  std::function<void()> on_all_subscribed;
  std::function<void()> on_done;

  void fail(const std::string& reason) {
    ++out.failed;
    if (out.failures.size() < max_reported_failures)
      out.failures.push_back(reason);
  }
};

class client : public std::enable_shared_from_this<client> {
 public:
  explicit client(bench& b) : b_(b), ws_(b.io) {}

  void start() {
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
    beast::get_lowest_layer(ws_).async_connect(
      b_.endpoints, [self = shared_from_this()](error_code ec, const tcp::endpoint&) {
        self->on_connect(ec);
      });
  }

  void close() {
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

 private:
  enum class stage { handshake, hello, subscribing, subscribed, done };

  void on_connect(error_code ec) {
    if (ec)
      return failed("connect: " + ec.message());
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws_.set_option(websocket::stream_base::decorator([this](websocket::request_type& request) {
      request.set(beast::http::field::origin, b_.opts.origin);
      if (!b_.opts.cookie.empty())
        request.set(beast::http::field::cookie, b_.opts.cookie);
    }));
    ws_.async_handshake(b_.opts.host + ":" + b_.opts.port, b_.opts.target,
                        [self = shared_from_this()](error_code ec) { self->on_handshake(ec); });
  }

  void on_handshake(error_code ec) {
    connection_settled();
    if (ec)
      return failed("handshake: " + ec.message());
    stage_ = stage::hello;
    do_read();
  }

  void do_read() {
    ws_.async_read(buffer_, [self = shared_from_this()](error_code ec, std::size_t) {
      self->on_read(ec);
    });
  }

  void on_read(error_code ec) {
    if (ec) {
      if (stage_ != stage::done)
        failed("read: " + ec.message());
      return;
    }
    auto frame = nlohmann::json::parse(beast::buffers_to_string(buffer_.data()), nullptr, false);
    buffer_.consume(buffer_.size());
    std::string type = frame.is_object() ? frame.value("type", "") : "";
    if (stage_ == stage::hello && type == "hello") {
      stage_ = stage::subscribing;
      subscribe_ = nlohmann::json{{"type", "subscribe"}, {"topics", {b_.opts.topic}}}.dump();
      ws_.text(true);
      ws_.async_write(asio::buffer(subscribe_), [self = shared_from_this()](error_code wec,
                                                                             std::size_t) {
        if (wec)
          self->failed("subscribe: " + wec.message());
      });
    } else if (stage_ == stage::subscribing && type == "subscribed") {
      stage_ = stage::subscribed;
      --b_.pending;
      ++b_.out.subscribed;
      ++b_.waiting;
      if (b_.pending == 0)
        b_.on_all_subscribed();
    } else if (stage_ == stage::subscribing && type == "error") {
      return failed("subscribe refused: " + frame.value("code", std::string("?")));
    } else if (stage_ == stage::subscribed && type == "event" && b_.triggered) {
      stage_ = stage::done;
      b_.out.latencies.push_back(clock::now() - *b_.triggered);
      if (--b_.waiting == 0)
        b_.on_done();
    }
    do_read();
  }

  void connection_settled() {
    --b_.connecting;
    if (!b_.to_connect.empty()) {
      auto next = std::move(b_.to_connect.front());
      b_.to_connect.pop_front();
      next();
    }
  }

  void failed(const std::string& reason) {
    if (stage_ == stage::handshake)
      connection_settled();
    auto was = stage_;
    stage_ = stage::done;
    b_.fail(reason);
    close();
    if (was == stage::subscribed) {
      if (--b_.waiting == 0 && b_.triggered)
        b_.on_done();
    } else if (was != stage::done && --b_.pending == 0) {
      b_.on_all_subscribed();
    }
  }

  bench& b_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  stage stage_ = stage::handshake;
  std::string subscribe_;
};

int run_command(const std::string& command) {
  int status = std::system(command.c_str());
  return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

result run(const options& opts) {
  asio::io_context io(1);
  bench b{opts, io, tcp::resolver(io).resolve(opts.host, opts.port)};
  std::vector<std::shared_ptr<client>> clients;
  std::thread trigger;
  asio::steady_timer deadline(io, opts.timeout);
  auto finish = [&] {
    deadline.cancel();
    for (auto& c : clients)
      c->close();
  };
  b.on_done = finish;
  b.on_all_subscribed = [&] {
    if (b.out.timed_out)
      return;
    b.out.subscribe_time = clock::now() - b.started;
    if (b.waiting == 0)
      return finish();
    b.triggered = clock::now();
    deadline.expires_after(opts.timeout);
    deadline.async_wait([&](error_code ec) {
      if (!ec) {
        b.out.timed_out = true;
        finish();
      }
    });
    // std::system blocks: it runs on its own thread and reports back on the io thread.
    trigger = std::thread([&] {
      auto started = clock::now();
      int status = run_command(opts.trigger);
      asio::post(io, [&, status, took = clock::now() - started] {
        b.out.trigger_status = status;
        b.out.trigger_time = took;
      });
    });
  };
  deadline.async_wait([&](error_code ec) {
    if (!ec) {
      b.out.timed_out = true;
      finish();
    }
  });
  b.pending = opts.connections;
  for (int i = 0; i < opts.connections; ++i) {
    auto c = std::make_shared<client>(b);
    clients.push_back(c);
    if (b.connecting < opts.connect_concurrency) {
      ++b.connecting;
      c->start();
    } else {
      b.to_connect.push_back([&b, c] {
        ++b.connecting;
        c->start();
      });
    }
  }
  io.run();
  if (trigger.joinable())
    trigger.join();
  // The trigger's completion was posted after the last event, or the run ended first.
  io.restart();
  io.poll();
  return b.out;
}

}  // namespace crmd::tools::ws_fanout
