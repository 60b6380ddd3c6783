#pragma once

#include "integrations/http/connection.hpp"
#include "integrations/http/connection_pool.hpp"
#include "integrations/http/http_types.hpp"
#include "integrations/http/url.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

// One request/response on the client's io thread: (pooled connection | resolve → connect →
// TLS handshake) → write → read, all under one deadline. Internal to crmd_http_client.
namespace crmd::http {

// What every exchange of a client shares; owned by the client and outliving its exchanges.
struct exchange_context {
  boost::asio::io_context& io;
  boost::asio::ssl::context& tls;
  connection_pool& pool;
  std::size_t body_limit;
  std::string user_agent;
};

using completion = std::function<void(http_result)>;

// Calls the completion, containing anything it throws: a caller's bug must not unwind through
// the io thread.
void deliver(const completion& done, http_result result) noexcept;

class exchange : public std::enable_shared_from_this<exchange> {
 public:
  exchange(exchange_context& context, parsed_url target, http_request request,
           std::chrono::milliseconds timeout, completion done);
  // An exchange destroyed before it finished (the client stopped) reports `stopped`, so the
  // completion runs exactly once whatever happens.
  ~exchange();

  void start();

 private:
  void resolve();
  void on_resolve(const boost::system::error_code& ec,
                  const boost::asio::ip::tcp::resolver::results_type& results);
  void on_connect(const boost::system::error_code& ec);
  void on_handshake(const boost::system::error_code& ec);
  void write();
  void on_write(const boost::system::error_code& ec);
  void on_header(const boost::system::error_code& ec);
  void on_read(const boost::system::error_code& ec);
  void on_deadline(const boost::system::error_code& ec);
  bool retry_on_fresh_connection();

  void fail(transport_error code, const boost::system::error_code& ec);
  void fail(transport_error code, std::string message);
  void finish(http_result result);

  exchange_context& context_;
  parsed_url target_;
  std::chrono::milliseconds timeout_;
  completion done_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>> parser_;
  boost::beast::flat_buffer buffer_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer deadline_;
  std::unique_ptr<connection> connection_;
  std::string invalid_;  // why the request cannot be sent, found by the constructor
  bool reused_ = false;
  bool timed_out_ = false;
  bool finished_ = false;
};

}  // namespace crmd::http
