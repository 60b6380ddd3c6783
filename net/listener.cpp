#include "net/listener.hpp"

#include "net/http_session.hpp"
#include "observability/log.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include <system_error>

namespace crmd::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

void throw_on_error(const boost::system::error_code& ec, const char* what) {
  if (ec)
    throw std::system_error(ec.value(), std::system_category(), what);
}

}  // namespace

listener::listener(std::shared_ptr<server_state> state, const tcp::endpoint& endpoint)
  : state_(std::move(state)), acceptor_(state_->strand()), retry_timer_(state_->strand()) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  throw_on_error(ec, "http listener open");
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  throw_on_error(ec, "http listener reuse_address");
  acceptor_.bind(endpoint, ec);
  throw_on_error(ec, "http listener bind");
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  throw_on_error(ec, "http listener listen");
  port_ = acceptor_.local_endpoint().port();
}

void listener::run() {
  asio::post(state_->strand(), [self = shared_from_this()] { self->do_accept(); });
}

void listener::stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  retry_timer_.cancel();
}

void listener::do_accept() {
  if (!acceptor_.is_open())
    return;
  // Each connection gets its own strand; the acceptor itself stays on the server strand.
  acceptor_.async_accept(
    asio::make_strand(state_->io()),
    boost::beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open())
    return;
  if (ec) {
    // Typically EMFILE: back off briefly instead of spinning on a failing accept.
    log::warn("http", "accept failed", {{"error", ec.message()}});
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
      if (!wait_ec)
        self->do_accept();
    });
    return;
  }
  auto session = std::make_shared<http_session>(std::move(socket), state_);
  session->run(state_->add_session(session));
  do_accept();
}

}  // namespace crmd::net
