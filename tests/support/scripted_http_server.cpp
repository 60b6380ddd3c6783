#include "tests/support/scripted_http_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace crmd::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

std::optional<std::string> recorded_request::header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name)
      return value;
  return std::nullopt;
}

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The response as raw bytes, so a test can also cut it off in the middle of the body.
std::string render(const scripted_response& response) {
  auto reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(response.status)));
  std::string text = "HTTP/1.1 " + std::to_string(response.status) + " " + std::string(reason)
                     + "\r\n";
  for (const auto& [name, value] : response.headers)
    text += name + ": " + value + "\r\n";
  text += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  if (response.close)
    text += "Connection: close\r\n";
  text += "\r\n";
  text += response.drop_mid_body ? response.body.substr(0, response.body.size() / 2)
                                 : response.body;
  return text;
}

// What a session needs from the server: the next scripted answer for what just arrived.
class script_source {
 public:
  virtual scripted_response next_response(recorded_request record) = 0;

 protected:
  ~script_source() = default;
};

class session : public std::enable_shared_from_this<session> {
 public:
  session(script_source& server, tcp::socket socket, std::size_t id)
      : server_(server), socket_(std::move(socket)), timer_(socket_.get_executor()), id_(id) {}

  void read() {
    request_ = {};
    http::async_read(socket_, buffer_, request_,
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                       if (!ec)
                         self->on_request();
                     });
  }

 private:
  void on_request() {
    recorded_request record{.arrived = std::chrono::steady_clock::now(),
                            .method = std::string(request_.method_string()),
                            .target = std::string(request_.target()),
                            .body = request_.body(),
                            .connection = id_};
    for (const auto& field : request_)
      record.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
    response_ = server_.next_response(std::move(record));
    timer_.expires_after(response_.delay);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec)
        self->write();
    });
  }

  void write() {
    auto text = std::make_shared<std::string>(render(response_));
    asio::async_write(socket_, asio::buffer(*text),
                      [self = shared_from_this(), text](boost::system::error_code ec,
                                                        std::size_t) {
                        if (ec)
                          return;
                        if (self->response_.drop_mid_body || self->response_.close) {
                          boost::system::error_code ignored;
                          self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
                          self->socket_.close(ignored);
                          return;
                        }
                        self->read();
                      });
  }

  script_source& server_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  std::size_t id_;
  boost::beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  scripted_response response_;
};

}  // namespace

struct scripted_http_server::impl : script_source {
  asio::io_context io{1};
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::thread thread;

  mutable std::mutex mutex;
  mutable std::condition_variable arrived;
  std::deque<scripted_response> script;
  scripted_response fallback{.status = 500, .body = "script exhausted"};
  std::vector<recorded_request> records;
  std::size_t accepted = 0;

  scripted_response next_response(recorded_request record) override {
    std::lock_guard lock(mutex);
    records.push_back(std::move(record));
    arrived.notify_all();
    if (script.empty())
      return fallback;
    auto response = std::move(script.front());
    script.pop_front();
    return response;
  }

  void accept();
};

void scripted_http_server::impl::accept() {
  acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec)
      return;
    std::size_t id = 0;
    {
      std::lock_guard lock(mutex);
      id = ++accepted;
    }
    std::make_shared<session>(*this, std::move(socket), id)->read();
    accept();
  });
}

scripted_http_server::scripted_http_server(std::vector<scripted_response> script)
    : impl_(std::make_unique<impl>()) {
  impl_->script.assign(std::make_move_iterator(script.begin()),
                       std::make_move_iterator(script.end()));
  impl_->accept();
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

scripted_http_server::~scripted_http_server() {
  asio::post(impl_->io, [this] {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->io.stop();
  });
  impl_->thread.join();
}

std::uint16_t scripted_http_server::port() const {
  return impl_->acceptor.local_endpoint().port();
}

std::string scripted_http_server::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

void scripted_http_server::push(scripted_response response) {
  std::lock_guard lock(impl_->mutex);
  impl_->script.push_back(std::move(response));
}

void scripted_http_server::set_fallback(scripted_response response) {
  std::lock_guard lock(impl_->mutex);
  impl_->fallback = std::move(response);
}

std::vector<recorded_request> scripted_http_server::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->records;
}

std::size_t scripted_http_server::connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->accepted;
}

bool scripted_http_server::wait_for_requests(std::size_t count,
                                             std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->arrived.wait_for(lock, timeout,
                                 [this, count] { return impl_->records.size() >= count; });
}

}  // namespace crmd::testing
