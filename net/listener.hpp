#pragma once

// Internal to net/: accepts connections and starts one http_session each.

#include "net/server_state.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <memory>

namespace crmd::net {

class listener : public std::enable_shared_from_this<listener> {
 public:
  // Opens, binds and listens right away so that bind errors reach the caller as
  // std::system_error and the bound port is known before run().
  listener(std::shared_ptr<server_state> state, const boost::asio::ip::tcp::endpoint& endpoint);

  std::uint16_t port() const { return port_; }
  void run();
  // Must be called on the server strand.
  void stop();

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  std::shared_ptr<server_state> state_;
  boost::asio::ip::tcp::acceptor acceptor_;  // runs on the server strand
  boost::asio::steady_timer retry_timer_;
  std::uint16_t port_ = 0;
};

}  // namespace crmd::net
