#include "integrations/http/http_client.hpp"

#include "integrations/http/connection_pool.hpp"
#include "integrations/http/exchange.hpp"
#include "integrations/http/url.hpp"
#include "observability/log.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>

#include <mutex>
#include <optional>
#include <thread>

namespace crmd::http {

namespace asio = boost::asio;

namespace {

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

// Verification against the system's trust store; the protocol floor is TLS 1.2.
void configure_tls(asio::ssl::context& tls) {
  boost::system::error_code ec;
  tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2
                    | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1
                    | asio::ssl::context::no_tlsv1_1,
                  ec);
  tls.set_verify_mode(asio::ssl::verify_peer, ec);
  tls.set_default_verify_paths(ec);
  if (ec)
    log::warn("http_client", "system trust store not loaded; https requests will fail",
              {{"error", ec.message()}});
}

}  // namespace

struct http_client::impl {
  explicit impl(http_client_config config)
      : config(std::move(config)),
        base(without_trailing_slash(this->config.base_url)),
        pool(this->config.max_idle_per_origin, this->config.idle_timeout) {
    configure_tls(tls);
  }

  // Base + target, or an absolute target on its own, checked as one URL.
  std::optional<parsed_url> locate(const std::string& target) const {
    if (target.starts_with("http://") || target.starts_with("https://"))
      return parse_url(target);
    if (!target.empty() && target.front() != '/' && target.front() != '?')
      return std::nullopt;
    return parse_url(base + target);
  }

  http_client_config config;
  std::string base;
  asio::ssl::context tls{asio::ssl::context::tls_client};
  connection_pool pool;

  std::mutex mutex;  // guards running, io and context against send() from other threads
  bool running = false;
  std::unique_ptr<asio::io_context> io;
  std::unique_ptr<exchange_context> context;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread thread;
};

http_client::http_client(http_client_config config)
    : impl_(std::make_unique<impl>(std::move(config))) {}

http_client::~http_client() {
  stop();
}

void http_client::start() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->running)
    return;
  impl_->io = std::make_unique<asio::io_context>(1);
  impl_->context = std::make_unique<exchange_context>(exchange_context{
    *impl_->io, impl_->tls, impl_->pool, impl_->config.body_limit, impl_->config.user_agent});
  impl_->work.emplace(impl_->io->get_executor());
  impl_->running = true;
  impl_->thread = std::thread([io = impl_->io.get()] {
    // A throwing handler must not end the thread: every later request would hang.
    while (true) {
      try {
        io->run();
        return;
      } catch (const std::exception& e) {
        log::error("http_client", "io handler threw", {{"error", e.what()}});
      }
    }
  });
}

void http_client::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->running)
      return;
    impl_->running = false;
    asio::post(*impl_->io, [state = impl_.get()] {
      state->pool.clear();
      state->io->stop();
    });
  }
  impl_->thread.join();
  impl_->work.reset();
  // Destroying the context destroys the handlers it never ran; each exchange still inside one
  // reports `stopped` from its destructor.
  impl_->io.reset();
  impl_->context.reset();
}

void http_client::send(http_request request, callback done) {
  auto target = impl_->locate(request.target);
  std::unique_lock lock(impl_->mutex);
  if (!impl_->running) {
    lock.unlock();
    deliver(done, http_failure{transport_error::stopped, "the HTTP client is not running"});
    return;
  }
  if (!target) {
    lock.unlock();
    deliver(done, http_failure{transport_error::invalid_request, "not a valid http(s) URL"});
    return;
  }
  auto timeout = request.timeout.value_or(impl_->config.timeout);
  auto job = std::make_shared<exchange>(*impl_->context, std::move(*target), std::move(request),
                                        timeout, std::move(done));
  asio::post(*impl_->io, [job] { job->start(); });
}

}  // namespace crmd::http
