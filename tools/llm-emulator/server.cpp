#include "tools/llm-emulator/server.hpp"

#include "tools/llm-emulator/session.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>

#include <csignal>
#include <memory>
#include <ostream>
#include <stdexcept>

namespace crmd::llm_emulator {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(asio::io_context& io, tcp::acceptor& acceptor, chat_service& service,
           std::chrono::milliseconds slow_delay)
    : io_(io), acceptor_(acceptor), service_(service), slow_delay_(slow_delay) {}

  void do_accept() {
    acceptor_.async_accept(asio::make_strand(io_),
                           [self = shared_from_this()](error_code ec, tcp::socket socket) {
                             self->on_accept(ec, std::move(socket));
                           });
  }

 private:
  void on_accept(error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted)
      return;
    // Other errors (a peer gone before accept, no file descriptors left) only lose this one.
    if (!ec)
      std::make_shared<session>(std::move(socket), service_, slow_delay_)->run();
    do_accept();
  }

  asio::io_context& io_;
  tcp::acceptor& acceptor_;
  chat_service& service_;
  std::chrono::milliseconds slow_delay_;
};

tcp::endpoint resolve(asio::io_context& io, const options& o) {
  error_code ec;
  auto address = asio::ip::make_address(o.host, ec);
  if (!ec)
    return {address, o.port};
  tcp::resolver resolver(io);
  auto results = resolver.resolve(o.host, std::to_string(o.port), ec);
  if (ec || results.empty())
    throw std::runtime_error("cannot resolve " + o.host + ": " + ec.message());
  return results.begin()->endpoint();
}

}  // namespace

int run_server(chat_service& service, const options& o, std::ostream& out) {
  asio::io_context io(1);
  tcp::acceptor acceptor(io);
  auto endpoint = resolve(io, o);
  error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    acceptor.bind(endpoint, ec);
  if (!ec)
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": "
                             + ec.message());
  asio::signal_set signals(io, SIGINT, SIGTERM);
  // Stopping the context is enough: nothing in flight needs finishing in a test double.
  signals.async_wait([&io](error_code, int) { io.stop(); });
  std::make_shared<listener>(io, acceptor, service, o.slow)->do_accept();
  out << R"({"event":"listening","port":)" << acceptor.local_endpoint().port() << "}\n"
      << std::flush;
  io.run();
  return 0;
}

}  // namespace crmd::llm_emulator
