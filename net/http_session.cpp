#include "net/http_session.hpp"

#include "observability/log.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <cctype>
#include <random>

namespace crmd::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using error_code = boost::system::error_code;

namespace {

constexpr std::size_t max_request_id_length = 64;
// Bounds the discard loop after an error response so a client that keeps sending cannot pin us.
constexpr std::chrono::seconds max_linger{2};

bool is_sane_request_id(std::string_view id) {
  return !id.empty() && id.size() <= max_request_id_length &&
         std::all_of(id.begin(), id.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
         });
}

std::string generate_request_id() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  std::uint64_t value = engine();
  std::string id(16, '0');
  for (char& c : id) {
    c = digits[value & 0xf];
    value >>= 4;
  }
  return id;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

http_request to_request(http::request<http::string_body>& message) {
  http_request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  std::string_view target = message.target();
  std::size_t question = target.find('?');
  request.path = percent_decode(target.substr(0, question));
  if (question != std::string_view::npos)
    request.query = std::string(target.substr(question + 1));
  for (const auto& field : message)
    request.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
  request.body = std::move(message.body());
  return request;
}

bool is_http_error(const error_code& ec) {
  return ec.category() == make_error_code(http::error::bad_method).category();
}

}  // namespace

http_session::http_session(asio::ip::tcp::socket&& socket, std::shared_ptr<server_state> state)
  : registration_(state),
    stream_(std::move(socket)),
    handler_timer_(stream_.get_executor()),
    state_(std::move(state)) {
  error_code ec;
  auto remote = stream_.socket().remote_endpoint(ec);
  if (!ec)
    remote_address_ = remote.address().to_string();
  state_->metrics().connection_opened();
}

http_session::~http_session() {
  state_->metrics().connection_closed();
}

void http_session::run(std::uint64_t id) {
  registration_.assign(id);
  asio::dispatch(stream_.get_executor(),
                 [self = shared_from_this()] { self->do_wait_for_request(); });
}

void http_session::begin_shutdown() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] { self->on_begin_shutdown(); });
}

void http_session::force_close() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] { self->on_force_close(); });
}

// Waiting for the first byte is a phase of its own so that an idle keep-alive connection (closed at
// once on shutdown, idle_timeout) is told apart from a request in progress (read_timeout).
void http_session::do_wait_for_request() {
  phase_ = phase::idle;
  if (shutting_down_)
    return do_close();
  if (buffer_.size() > 0)  // a pipelined request is already buffered
    return do_read();
  const auto& config = state_->config();
  stream_.expires_after(first_request_ ? config.read_timeout : config.idle_timeout);
  stream_.async_read_some(
    buffer_.prepare(4096),
    beast::bind_front_handler(&http_session::on_first_bytes, shared_from_this()));
}

void http_session::on_first_bytes(error_code ec, std::size_t bytes) {
  buffer_.commit(bytes);
  if (ec) {
    if (ec != asio::error::operation_aborted)
      do_close();
    return;
  }
  do_read();
}

void http_session::do_read() {
  phase_ = phase::reading;
  const auto& config = state_->config();
  parser_.emplace();
  parser_->body_limit(config.body_limit);
  parser_->header_limit(
    static_cast<std::uint32_t>(std::min<std::size_t>(config.header_limit, UINT32_MAX)));
  stream_.expires_after(config.read_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(error_code ec, std::size_t) {
  if (ec)
    return on_read_error(ec);
  // The handler's time is bounded by handler_timer_, not by the socket.
  stream_.expires_never();
  auto& message = parser_->get();
  http_request request = to_request(message);
  auto incoming_id = request.header("x-request-id");
  request.request_id = incoming_id && is_sane_request_id(*incoming_id) ? std::string(*incoming_id)
                                                                         : generate_request_id();
  request.remote_address = remote_address_;
  current_ = exchange{};
  current_.method = request.method;
  current_.path = request.path;
  current_.request_id = request.request_id;
  current_.version = message.version();
  current_.keep_alive = message.keep_alive();
  current_.head = message.method() == http::verb::head;
  current_.start = std::chrono::steady_clock::now();
  dispatch(std::move(request));
}

void http_session::on_read_error(error_code ec) {
  if (ec == asio::error::operation_aborted)
    return;
  if (ec == http::error::body_limit || ec == http::error::header_limit ||
      (is_http_error(ec) && ec != http::error::end_of_stream &&
       ec != http::error::partial_message)) {
    current_ = exchange{};
    current_.request_id = generate_request_id();
    current_.start = std::chrono::steady_clock::now();
    current_.route = "bad_request";
    // Beast fills method and target once the start line parsed; an oversized body is then
    // counted against its route, which tells which endpoint receives them.
    auto& message = parser_->get();
    if (!message.method_string().empty()) {
      current_.method = std::string(message.method_string());
      current_.version = message.version();
      auto target = message.target();
      current_.path = percent_decode(target.substr(0, target.find('?')));
      if (ec == http::error::body_limit)
        current_.route = state_->routes().match(current_.method, current_.path).route_name;
    }
    log::debug("http", "rejected request",
               {{"request_id", current_.request_id}, {"error", ec.message()}});
    if (ec == http::error::body_limit)
      return do_write(error_response(413, "payload_too_large", "request body exceeds the limit"),
                      after_write::linger);
    if (ec == http::error::header_limit)
      return do_write(error_response(431, "headers_too_large", "request headers exceed the limit"),
                      after_write::linger);
    return do_write(error_response(400, "bad_request", "malformed HTTP request"),
                    after_write::linger);
  }
  // Timeouts, resets and a peer closing mid-request: there is nobody sensible to answer.
  if (ec == beast::error::timeout)
    log::debug("http", "read timed out", {{"remote_address", remote_address_}});
  do_close();
}

void http_session::dispatch(http_request&& request) {
  if (auto ws_match = state_->routes().match_websocket(request.path); ws_match.target != nullptr)
    return dispatch_websocket(std::move(request), std::move(ws_match));
  auto match = state_->routes().match(request.method, request.path);
  current_.route = match.route_name;
  if (match.target == nullptr) {
    if (match.allowed_methods.empty())
      return do_write(error_response(404, "not_found", "no route for " + request.path),
                      after_write::keep_alive);
    auto response = error_response(405, "method_not_allowed",
                                   request.method + " is not allowed on " + request.path);
    std::string allow;
    for (const auto& method : match.allowed_methods)
      allow += (allow.empty() ? "" : ", ") + method;
    response.headers.emplace_back("Allow", std::move(allow));
    return do_write(std::move(response), after_write::keep_alive);
  }
  request.path_params = std::move(match.params);

  phase_ = phase::handling;
  auto slot = std::make_shared<answer_slot>();
  slot->session = weak_from_this();
  slot->request_id = current_.request_id;
  current_.slot = slot;
  responder respond = [slot](http_response response) {
    if (slot->answered.exchange(true)) {
      log::warn("http", "response ignored: request already answered",
                {{"request_id", slot->request_id}, {"status", response.status}});
      return;
    }
    if (auto self = slot->session.lock()) {
      asio::post(self->stream_.get_executor(),
                 [self, slot, response = std::move(response)]() mutable {
                   self->on_answer(slot, std::move(response));
                 });
    }
  };
  arm_handler_timer(slot);
  try {
    (*match.target)(std::move(request), std::move(respond));
  } catch (const std::exception& e) {
    on_handler_failed(slot, e.what());
  } catch (...) {
    on_handler_failed(slot, "unknown exception");
  }
}

void http_session::arm_handler_timer(const std::shared_ptr<answer_slot>& slot) {
  handler_timer_.expires_after(state_->config().handler_timeout);
  handler_timer_.async_wait(
    beast::bind_front_handler(&http_session::on_handler_timeout, shared_from_this(), slot));
}

void http_session::on_handler_failed(const std::shared_ptr<answer_slot>& slot, std::string reason) {
  if (slot->answered.exchange(true)) {
    log::warn("http", "handler threw after answering",
              {{"request_id", current_.request_id}, {"error", reason}});
    return;
  }
  handler_timer_.cancel();
  current_.error = "handler threw: " + reason;
  do_write(error_response(500, "internal_error", "internal error"), after_write::keep_alive);
}

void http_session::on_handler_timeout(std::shared_ptr<answer_slot> slot, error_code ec) {
  if (ec || slot != current_.slot || phase_ != phase::handling || slot->answered.exchange(true))
    return;
  current_.error = "handler did not answer in time";
  do_write(error_response(503, "handler_timeout", "the request was not answered in time"),
           after_write::keep_alive);
}

void http_session::on_answer(const std::shared_ptr<answer_slot>& slot, http_response response) {
  if (slot != current_.slot || phase_ != phase::handling)
    return;  // the connection was force-closed meanwhile
  handler_timer_.cancel();
  do_write(std::move(response), after_write::keep_alive);
}

void http_session::do_write(http_response answer, after_write next) {
  phase_ = phase::writing;
  if (next == after_write::keep_alive && (!current_.keep_alive || shutting_down_))
    next = after_write::close;

  response_ = {};
  response_.version(current_.version);
  response_.result(answer.status);
  // Handler headers first; set() below then replaces any that would break framing or identity.
  for (auto& [name, value] : answer.headers)
    response_.insert(name, value);
  response_.set(http::field::server, "crmd");
  if (!answer.content_type.empty())
    response_.set(http::field::content_type, answer.content_type);
  response_.set("X-Request-Id", current_.request_id);
  response_.keep_alive(next == after_write::keep_alive);
  // 204, 304 and 1xx carry no body, so no Content-Length (a 304's would describe the cached one).
  bool bodiless = answer.status == 204 || answer.status == 304 || answer.status / 100 == 1;
  if (!bodiless)
    response_.content_length(answer.body.size());
  // HEAD reports the GET body's length but sends no body.
  if (!current_.head && !bodiless)
    response_.body() = std::move(answer.body);

  record_exchange(answer.status);
  stream_.expires_after(state_->config().read_timeout);
  http::async_write(stream_, response_,
                    beast::bind_front_handler(&http_session::on_write, shared_from_this(), next));
}

void http_session::record_exchange(unsigned status) {
  double seconds =
    std::chrono::duration<double>(std::chrono::steady_clock::now() - current_.start).count();
  state_->metrics().record_request(current_.route, current_.method, status, seconds);
  nlohmann::json fields = {{"request_id", current_.request_id}, {"method", current_.method},
                           {"path", current_.path},             {"route", current_.route},
                           {"status", status},                  {"duration_ms", seconds * 1000}};
  if (status >= 500) {
    if (!current_.error.empty())
      fields["error"] = current_.error;
    log::warn("http", "request failed", fields);
  } else {
    log::debug("http", "request", fields);
  }
}

void http_session::on_write(after_write next, error_code ec, std::size_t) {
  if (ec) {
    if (ec != asio::error::operation_aborted)
      do_close();
    return;
  }
  if (shutting_down_ && next == after_write::keep_alive)
    next = after_write::close;
  switch (next) {
    case after_write::keep_alive:
      first_request_ = false;
      return do_wait_for_request();
    case after_write::close:
      return do_close();
    case after_write::linger:
      return do_linger();
  }
}

// After an error response the client may still be sending the rejected body. Closing with unread
// input makes the kernel send RST, which can destroy our response before the client reads it, so
// half-close and drain until the client closes or max_linger passes.
void http_session::do_linger() {
  phase_ = phase::closing;
  error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  stream_.expires_after(
    std::min<std::chrono::steady_clock::duration>(max_linger, state_->config().read_timeout));
  buffer_.consume(buffer_.size());
  stream_.async_read_some(buffer_.prepare(4096),
                          beast::bind_front_handler(&http_session::on_linger, shared_from_this()));
}

void http_session::on_linger(error_code ec, std::size_t) {
  if (ec) {
    if (ec != asio::error::operation_aborted)
      do_close();
    return;
  }
  // The deadline set in do_linger() is not renewed, so it bounds the whole drain.
  stream_.async_read_some(buffer_.prepare(4096),
                          beast::bind_front_handler(&http_session::on_linger, shared_from_this()));
}

void http_session::do_close() {
  phase_ = phase::closing;
  handler_timer_.cancel();
  error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  stream_.close();
}

void http_session::on_begin_shutdown() {
  shutting_down_ = true;
  // Mid-request sessions finish their exchange and close in on_write; idle ones go now.
  if (phase_ == phase::idle)
    do_close();
}

void http_session::on_force_close() {
  shutting_down_ = true;
  do_close();
}

}  // namespace crmd::net
