#include "tools/openphone-emulator/load_connection.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

namespace crmd::openphone_emulator {

namespace asio = boost::asio;
namespace beast = boost::beast;
using steady = std::chrono::steady_clock;

asio::awaitable<void> run_load_connection(load_job& job, load_totals& totals) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer pause(executor);
  http_link link;
  while (steady::now() < job.deadline) {
    // Stories happen "now", so the activities look current in the CRM.
    auto story = make_story(*job.stories_of, job.options, job.next_story++, now_unix_ms());
    for (auto& event : story) {
      if (steady::now() >= job.deadline)
        co_return;
      auto signature = job.sign->header(signing::valid, event.body, now_unix_ms());
      auto request = make_webhook_request(job.target, std::move(event.body), signature);

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
      unsigned status = (co_await send_request(link, job.addresses, job.timeout, request)).status;
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
