#include "tests/support/ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace crmd::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

ws_refused::ws_refused(unsigned status_, std::string body_)
  : std::runtime_error("upgrade refused with HTTP " + std::to_string(status_)),
    status(status_),
    body(std::move(body_)) {}

ws_closed::ws_closed(std::uint16_t code_)
  : std::runtime_error("closed by the server with " + std::to_string(code_)), code(code_) {}

struct ws_client::impl {
  asio::io_context io;
  websocket::stream<beast::tcp_stream> ws{io};
  beast::flat_buffer buffer;

  // Runs one operation to completion; the stream's deadline cancels it if the server stalls.
  template <class Start>
  beast::error_code run(std::chrono::seconds deadline, Start start) {
    beast::error_code result;
    beast::get_lowest_layer(ws).expires_after(deadline);
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
  }

  std::uint16_t close_code() const { return ws.reason().code; }
};

ws_client::ws_client(std::uint16_t port, const headers& extra, std::string target,
                     int receive_buffer)
  : impl_(std::make_unique<impl>()) {
  auto& socket = beast::get_lowest_layer(impl_->ws).socket();
  socket.open(tcp::v4());
  if (receive_buffer > 0)
    socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  auto ec = impl_->run(std::chrono::seconds(10), [&](auto done) {
    beast::get_lowest_layer(impl_->ws).async_connect(endpoint, done);
  });
  if (ec)
    throw beast::system_error(ec);
  impl_->ws.set_option(websocket::stream_base::decorator([extra](websocket::request_type& req) {
    for (const auto& [name, value] : extra)
      req.set(name, value);
  }));
  websocket::response_type response;
  ec = impl_->run(std::chrono::seconds(10), [&](auto done) {
    impl_->ws.async_handshake(response, "127.0.0.1:" + std::to_string(port), target, done);
  });
  if (ec == websocket::error::upgrade_declined)
    throw ws_refused(response.result_int(), response.body());
  if (ec)
    throw beast::system_error(ec);
}

ws_client::~ws_client() = default;

void ws_client::send(const std::string& text) {
  impl_->ws.text(true);
  auto ec = impl_->run(std::chrono::seconds(10), [&](auto done) {
    impl_->ws.async_write(asio::buffer(text), done);
  });
  if (ec)
    throw beast::system_error(ec);
}

std::string ws_client::read(std::chrono::seconds deadline) {
  impl_->buffer.clear();
  auto ec = impl_->run(deadline, [&](auto done) { impl_->ws.async_read(impl_->buffer, done); });
  if (ec == websocket::error::closed)
    throw ws_closed(impl_->close_code());
  if (ec)
    throw beast::system_error(ec);
  return beast::buffers_to_string(impl_->buffer.data());
}

nlohmann::json ws_client::read_json(std::chrono::seconds deadline) {
  return nlohmann::json::parse(read(deadline));
}

std::uint16_t ws_client::read_until_closed(std::chrono::seconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::seconds>(
      until - std::chrono::steady_clock::now());
    try {
      read(std::max(left, std::chrono::seconds(1)));
    } catch (const ws_closed& closed) {
      return closed.code;
    }
  }
}

}  // namespace crmd::testing
