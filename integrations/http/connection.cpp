#include "integrations/http/connection.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace crmd::http {

connection::connection(boost::asio::io_context& io, boost::asio::ssl::context* tls_context) {
  if (tls_context != nullptr)
    tls_ = std::make_unique<tls_stream>(io, *tls_context);
  else
    plain_ = std::make_unique<tcp_socket>(io);
}

connection::tcp_socket& connection::socket() {
  return tls_ ? tls_->next_layer() : *plain_;
}

bool connection::quiet() {
  auto& sock = socket();
  if (!sock.is_open())
    return false;
  // A non-blocking peek: "would block" is the only answer that means an idle, open connection.
  char byte = 0;
  auto received = ::recv(sock.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

void connection::close() {
  boost::system::error_code ignored;
  socket().shutdown(tcp_socket::shutdown_both, ignored);
  socket().close(ignored);
}

}  // namespace crmd::http
