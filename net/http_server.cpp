#include "net/http_server.hpp"

#include "net/listener.hpp"
#include "net/server_state.hpp"
#include "observability/log.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>

#include <stdexcept>

namespace crmd::net {

namespace asio = boost::asio;

struct http_server::impl {
  std::shared_ptr<server_state> state;
  std::shared_ptr<listener> acceptor;
};

http_server::http_server(asio::io_context& io, http_server_config config, router routes,
                         prometheus::Registry& metrics)
  : impl_(std::make_shared<impl>()) {
  impl_->state = std::make_shared<server_state>(io, std::move(config), std::move(routes), metrics);
}

http_server::~http_server() {
  // Without a prior shutdown() the acceptor would keep the state alive and go on accepting.
  if (impl_->acceptor)
    asio::post(impl_->state->strand(), [acceptor = impl_->acceptor] { acceptor->stop(); });
}

std::uint16_t http_server::start() {
  if (impl_->acceptor)
    throw std::logic_error("http_server::start called twice");
  const auto& config = impl_->state->config();
  boost::system::error_code ec;
  auto address = asio::ip::make_address(config.address, ec);
  if (ec)
    throw std::system_error(ec.value(), std::system_category(),
                            "http listener address '" + config.address + "'");
  auto acceptor = std::make_shared<listener>(impl_->state,
                                             asio::ip::tcp::endpoint(address, config.port));
  acceptor->run();
  impl_->acceptor = acceptor;
  log::info("http", "listening", {{"address", config.address}, {"port", acceptor->port()}});
  return acceptor->port();
}

void http_server::shutdown(std::chrono::milliseconds grace, std::function<void()> done) {
  asio::post(impl_->state->strand(), [state = impl_->state, acceptor = impl_->acceptor, grace,
                                      done = std::move(done)]() mutable {
    if (acceptor)
      acceptor->stop();
    state->drain(grace, std::move(done));
  });
}

}  // namespace crmd::net
