#include "tests/support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <thread>
#include <cctype>

namespace crmd::testing {

namespace beast = boost::beast;
namespace http = beast::http;

std::optional<std::string> http_reply::header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name)
      return value;
  return std::nullopt;
}

http_reply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body,
                        const std::vector<std::pair<std::string, std::string>>& headers) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));

  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers)
    request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  http::write(stream, request);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(stream, buffer, parser);
  auto response = parser.release();

  http_reply reply;
  reply.status = response.result_int();
  reply.body = std::move(response.body());
  for (const auto& field : response) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    reply.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  return reply;
}

http_reply wait_for_status(std::uint16_t port, const std::string& target, unsigned status,
                           std::chrono::seconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  http_reply last;
  while (true) {
    last = http_get(port, target);
    if (last.status == status || std::chrono::steady_clock::now() >= until)
      return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace crmd::testing
