#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <memory>

// One client connection, plain TCP or TLS over TCP. Internal to crmd_http_client: only its
// sources include Asio.
namespace crmd::http {

class connection {
 public:
  using tcp_socket = boost::asio::ip::tcp::socket;
  using tls_stream = boost::asio::ssl::stream<tcp_socket>;

  // TLS when `tls_context` is not null.
  connection(boost::asio::io_context& io, boost::asio::ssl::context* tls_context);

  tcp_socket& socket();
  tls_stream* tls() { return tls_.get(); }

  // Calls f with the stream requests are written to and read from.
  template <class F>
  void with_stream(F&& f) {
    if (tls_)
      f(*tls_);
    else
      f(*plain_);
  }

  // True when an idle connection can carry another request: still open, and the server has
  // sent nothing since the last response (no EOF, no TLS close_notify, no stray bytes).
  bool quiet();

  void close();

 private:
  std::unique_ptr<tcp_socket> plain_;
  std::unique_ptr<tls_stream> tls_;
};

}  // namespace crmd::http
