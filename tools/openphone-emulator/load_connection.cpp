#include "tools/openphone-emulator/load_connection.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <optional>

namespace crmd::openphone_emulator {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using steady = std::chrono::steady_clock;

namespace {

constexpr std::uint64_t response_body_limit = 4 * 1024 * 1024;

struct connection {
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  void close() {
    if (stream) {
      beast::error_code ignored;
      stream->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
      stream->close();
      stream.reset();
    }
    buffer.consume(buffer.size());
  }
};

// One exchange: the answer's status, or 0 when none came.
asio::awaitable<unsigned> exchange(load_job& job, connection& link,
                                   const http::request<http::string_body>& request) {
  auto executor = co_await asio::this_coro::executor;
  beast::error_code ec;
  bool reused = link.stream.has_value();
  for (;;) {
    if (!link.stream) {
      link.stream.emplace(executor);
      link.stream->expires_after(job.timeout);
      co_await link.stream->async_connect(job.addresses, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        link.close();
        co_return 0;
      }
      link.stream->socket().set_option(asio::ip::tcp::no_delay(true), ec);
    }
    link.stream->expires_after(job.timeout);
    co_await http::async_write(*link.stream, request, asio::redirect_error(asio::use_awaitable, ec));
    http::response_parser<http::string_body> parser;
    parser.body_limit(response_body_limit);
    if (!ec)
      co_await http::async_read(*link.stream, link.buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
      unsigned status = parser.get().result_int();
      if (!parser.get().keep_alive())
        link.close();
      co_return status;
    }
    link.close();
    if (!reused || !closed_while_idle(ec))
      co_return 0;
    reused = false;
  }
}

}  // namespace

asio::awaitable<void> run_load_connection(load_job& job, load_totals& totals) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer pause(executor);
  connection link;
  std::string host = job.target.host + ":" + job.target.port;
  while (steady::now() < job.deadline) {
    // Stories happen "now", so the activities look current in the CRM.
    auto story = make_story(*job.stories_of, job.options, job.next_story++, now_unix_ms());
    for (auto& event : story) {
      if (steady::now() >= job.deadline)
        co_return;
      http::request<http::string_body> request{http::verb::post, job.target.target, 11};
      request.set(http::field::host, host);
      request.set(http::field::user_agent, "openphone-emulator");
      request.set(http::field::content_type, "application/json");
      if (auto signature = job.sign->header(signing::valid, event.body, now_unix_ms()))
        request.set("openphone-signature", *signature);
      request.keep_alive(true);
      request.body() = std::move(event.body);
      request.prepare_payload();

      auto started = steady::now();
      if (job.interval.count() > 0) {
        started = job.started + job.interval * job.next_slot++;
        if (started > steady::now()) {
          beast::error_code ignored;
          pause.expires_at(started);
          co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        }
        if (steady::now() >= job.deadline)
          co_return;
      }
      unsigned status = co_await exchange(job, link, request);
      ++totals.requests;
      if (status == 0) {
        ++totals.errors;
        beast::error_code ignored;
        pause.expires_after(std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        continue;
      }
      totals.latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(steady::now() - started).count());
      if (status >= 200 && status < 300) {
        ++totals.acked;
      } else {
        ++totals.non_2xx;
        ++totals.statuses[status];
      }
    }
  }
}

}  // namespace crmd::openphone_emulator
