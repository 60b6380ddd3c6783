#include "integrations/http/exchange.hpp"

#include "observability/log.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/ssl.h>

#include <algorithm>
#include <cctype>

namespace crmd::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {

bool valid_header_name(std::string_view name) {
  static constexpr std::string_view token_symbols = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0
           || token_symbols.find(c) != std::string_view::npos;
  });
}

// CR, LF and NUL would let a value end the header and start another (header injection).
bool valid_header_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Read errors that mean the peer went away, as opposed to speaking something other than HTTP.
bool connection_lost(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message
         || ec == asio::error::eof || ec == asio::error::connection_reset
         || ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
}

}  // namespace

void deliver(const completion& done, http_result result) noexcept {
  try {
    if (done)
      done(std::move(result));
  } catch (const std::exception& e) {
    log::error("http_client", "completion threw", {{"error", e.what()}});
  } catch (...) {
    log::error("http_client", "completion threw");
  }
}

exchange::exchange(exchange_context& context, parsed_url target, http_request request,
                   std::chrono::milliseconds timeout, completion done)
    : context_(context),
      target_(std::move(target)),
      timeout_(timeout),
      done_(std::move(done)),
      resolver_(context.io),
      deadline_(context.io) {
  auto verb = bhttp::string_to_verb(request.method);
  if (verb == bhttp::verb::unknown)
    invalid_ = "unknown method";
  for (const auto& [name, value] : request.headers)
    if (!valid_header_name(name) || !valid_header_value(value))
      invalid_ = "malformed header";
  if (!invalid_.empty())
    return;
  request_.method(verb);
  request_.target(target_.path.empty() ? "/" : target_.path);
  request_.version(11);
  request_.set(bhttp::field::host, target_.where.host_header());
  request_.set(bhttp::field::user_agent, context.user_agent);
  for (auto& [name, value] : request.headers)
    request_.set(name, value);
  request_.body() = std::move(request.body);
  request_.keep_alive(true);
  request_.prepare_payload();
}

exchange::~exchange() {
  if (!finished_)
    deliver(done_, http_failure{transport_error::stopped, "the HTTP client stopped"});
}

void exchange::start() {
  if (!invalid_.empty())
    return fail(transport_error::invalid_request, invalid_);
  deadline_.expires_after(timeout_);
  deadline_.async_wait(
    [self = shared_from_this()](const error_code& ec) { self->on_deadline(ec); });
  connection_ = context_.pool.take(target_.where);
  reused_ = connection_ != nullptr;
  if (reused_)
    write();
  else
    resolve();
}

void exchange::resolve() {
  resolver_.async_resolve(
    target_.where.host, std::to_string(target_.where.port),
    [self = shared_from_this()](const error_code& ec,
                                const asio::ip::tcp::resolver::results_type& results) {
      self->on_resolve(ec, results);
    });
}

void exchange::on_resolve(const error_code& ec,
                          const asio::ip::tcp::resolver::results_type& results) {
  if (ec)
    return fail(transport_error::resolve_failed, ec);
  connection_ = std::make_unique<connection>(context_.io,
                                             target_.where.tls ? &context_.tls : nullptr);
  asio::async_connect(connection_->socket(), results,
                      [self = shared_from_this()](const error_code& ec, const auto&) {
                        self->on_connect(ec);
                      });
}

void exchange::on_connect(const error_code& ec) {
  if (ec)
    return fail(transport_error::connect_failed, ec);
  error_code ignored;
  connection_->socket().set_option(asio::ip::tcp::no_delay(true), ignored);
  auto* tls = connection_->tls();
  if (tls == nullptr)
    return write();
  const auto& host = target_.where.host;
  // SNI carries names only (RFC 6066); the certificate must match the host either way.
  if (!target_.where.host_is_ip()
      && SSL_set_tlsext_host_name(tls->native_handle(), host.c_str()) != 1)
    return fail(transport_error::tls_failed, "cannot set the TLS server name");
  tls->set_verify_mode(asio::ssl::verify_peer);
  tls->set_verify_callback(asio::ssl::host_name_verification(host));
  tls->async_handshake(asio::ssl::stream_base::client,
                       [self = shared_from_this()](const error_code& ec) {
                         self->on_handshake(ec);
                       });
}

void exchange::on_handshake(const error_code& ec) {
  if (ec)
    return fail(transport_error::tls_failed, ec);
  write();
}

void exchange::write() {
  connection_->with_stream([this](auto& stream) {
    bhttp::async_write(stream, request_,
                       [self = shared_from_this()](const error_code& ec, std::size_t) {
                         self->on_write(ec);
                       });
  });
}

bool exchange::retry_on_fresh_connection() {
  // A pooled connection the server closed just as it was taken fails before any response
  // byte; repeating an idempotent request once on a new connection is what browsers do too.
  if (!reused_ || timed_out_ || (parser_ && parser_->got_some()))
    return false;
  auto verb = request_.method();
  if (verb != bhttp::verb::get && verb != bhttp::verb::head && verb != bhttp::verb::put
      && verb != bhttp::verb::delete_ && verb != bhttp::verb::options)
    return false;
  reused_ = false;
  connection_->close();
  connection_.reset();
  parser_.reset();
  buffer_.clear();
  resolve();
  return true;
}

void exchange::on_write(const error_code& ec) {
  if (ec && retry_on_fresh_connection())
    return;
  if (ec)
    return fail(transport_error::connection_closed, ec);
  parser_.emplace();
  parser_->body_limit(context_.body_limit);
  if (request_.method() == bhttp::verb::head)
    parser_->skip(true);
  // The header is read on its own first: Beast 1.74 checks a Content-Length against the body
  // limit only there, and loses that error when header and body arrive in one read.
  connection_->with_stream([this](auto& stream) {
    bhttp::async_read_header(stream, buffer_, *parser_,
                             [self = shared_from_this()](const error_code& ec, std::size_t) {
                               self->on_header(ec);
                             });
  });
}

void exchange::on_header(const error_code& ec) {
  if (ec)
    return on_read(ec);
  connection_->with_stream([this](auto& stream) {
    bhttp::async_read(stream, buffer_, *parser_,
                      [self = shared_from_this()](const error_code& ec, std::size_t) {
                        self->on_read(ec);
                      });
  });
}

void exchange::on_read(const error_code& ec) {
  if (ec == bhttp::error::body_limit)
    return fail(transport_error::body_too_large, ec);
  if (ec && connection_lost(ec) && retry_on_fresh_connection())
    return;
  if (ec && connection_lost(ec))
    return fail(transport_error::connection_closed, ec);
  if (ec)
    return fail(transport_error::bad_response, ec);
  auto message = parser_->release();
  http_response response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message)
    response.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
  response.body = std::move(message.body());
  // Bytes beyond the response would be read as the start of the next one: only a connection
  // that ended exactly at the response's end goes back to the pool.
  if (message.keep_alive() && buffer_.size() == 0 && !timed_out_)
    context_.pool.put(target_.where, std::move(connection_));
  finish(std::move(response));
}

void exchange::on_deadline(const error_code& ec) {
  if (ec == asio::error::operation_aborted || finished_)
    return;
  // Closing the socket aborts whichever operation is pending; its handler then reports the
  // timeout.
  timed_out_ = true;
  resolver_.cancel();
  if (connection_)
    connection_->close();
}

void exchange::fail(transport_error code, const error_code& ec) {
  fail(code, ec.message());
}

void exchange::fail(transport_error code, std::string message) {
  if (connection_) {
    connection_->close();
    connection_.reset();
  }
  if (timed_out_) {
    code = transport_error::timeout;
    message = "no complete response within " + std::to_string(timeout_.count()) + " ms";
  }
  finish(http_failure{code, std::move(message)});
}

void exchange::finish(http_result result) {
  if (finished_)
    return;
  finished_ = true;
  deadline_.cancel();
  deliver(done_, std::move(result));
}

}  // namespace crmd::http
