#include "tools/openphone-emulator/rest_server.hpp"

#include "tools/openphone-emulator/rest_session.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>

#include <csignal>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace crmd::openphone_emulator::rest {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

// Accepts connections one after another, each on a strand of its own so sessions can run on
// any of the server's threads.
class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(asio::io_context& io, tcp::acceptor& acceptor, rest_service& service,
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
      std::make_shared<rest_session>(std::move(socket), service_, slow_delay_)->run();
    do_accept();
  }

  asio::io_context& io_;
  tcp::acceptor& acceptor_;
  rest_service& service_;
  std::chrono::milliseconds slow_delay_;
};

tcp::endpoint resolve(asio::io_context& io, const server_settings& settings) {
  error_code ec;
  auto address = asio::ip::make_address(settings.host, ec);
  if (!ec)
    return {address, settings.port};
  tcp::resolver resolver(io);
  auto results = resolver.resolve(settings.host, std::to_string(settings.port), ec);
  if (ec || results.empty())
    throw std::runtime_error("cannot resolve " + settings.host + ": " + ec.message());
  return results.begin()->endpoint();
}

}  // namespace

int run_rest_server(rest_service& service, const server_settings& settings, std::ostream& out) {
  asio::io_context io(settings.threads);
  tcp::acceptor acceptor(io);
  auto endpoint = resolve(io, settings);
  error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    acceptor.bind(endpoint, ec);
  if (!ec)
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + settings.host + ":" +
                             std::to_string(settings.port) + ": " + ec.message());

  asio::signal_set signals(io, SIGINT, SIGTERM);
  // Stopping the context is enough: sessions and the acceptor go with it, and nothing in flight
  // needs finishing in a test double.
  signals.async_wait([&io](error_code, int) { io.stop(); });
  std::make_shared<listener>(io, acceptor, service, settings.slow_delay)->do_accept();
  out << R"({"event":"listening","port":)" << acceptor.local_endpoint().port() << "}\n"
      << std::flush;

  std::vector<std::thread> extra;
  for (int i = 1; i < settings.threads; ++i)
    extra.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& thread : extra)
    thread.join();
  return 0;
}

}  // namespace crmd::openphone_emulator::rest
