// The emulator's --serve mode over real HTTP: a small seeded dataset walked page by page, the
// key, maxResults and rate-limit errors, the dated message surface with its media, keep-alive,
// the slow and drop injections, the stats endpoint and a clean exit on SIGTERM.
#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <future>
#include <set>
#include <thread>
#include <unistd.h>

namespace crmd::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr const char* api_key = "emulator-test-key";

// The emulator in serve mode with a small dataset; `extra` adds or overrides flags.
class emulator_server {
 public:
  explicit emulator_server(std::vector<std::string> extra)
    : output_("/tmp/crmd-emulator-rest-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter_++)),
      process_(CRMD_EMULATOR, arguments(std::move(extra)), output_) {
    port_ = wait_for_listening_port(output_, 5s);
  }
  ~emulator_server() { std::remove(output_.c_str()); }

  std::uint16_t port() const { return port_; }
  std::string log() const { return read_file(output_); }
  child_process& process() { return process_; }

  http_reply get(const std::string& target, bool with_key = true) const {
    if (!with_key)
      return http_request(port_, "GET", target);
    return http_request(port_, "GET", target, {}, {{"Authorization", api_key}});
  }

  json get_json(const std::string& target) const {
    auto reply = get(target);
    EXPECT_EQ(reply.status, 200u) << target << ": " << reply.body;
    return json::parse(reply.body);
  }

  // Every item of a list, following nextPageToken; checks the pages agree on totalItems.
  std::vector<json> walk(const std::string& target, int page_size) const {
    std::vector<json> items;
    std::string token;
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = get_json(target + (target.find('?') == std::string::npos ? "?" : "&") +
                           "maxResults=" + std::to_string(page_size) +
                           (token.empty() ? "" : "&pageToken=" + token));
      for (auto& item : page["data"])
        items.push_back(item);
      if (page["nextPageToken"].is_null()) {
        EXPECT_EQ(page["totalItems"].get<std::size_t>(), items.size()) << target;
        break;
      }
      EXPECT_EQ(page["data"].size(), static_cast<std::size_t>(page_size));
      token = page["nextPageToken"].get<std::string>();
    }
    return items;
  }

 private:
  static std::vector<std::string> arguments(std::vector<std::string> extra) {
    std::vector<std::string> args{"--serve", "--api-key",    api_key, "--seed",
                                  "4242",    "--numbers",    "2",     "--users",
                                  "7",       "--contacts",   "50",    "--conversations",
                                  "40",      "--messages",   "400",   "--calls",
                                  "80",      "--rate-limit", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  static inline int counter_ = 0;
  std::string output_;
  child_process process_;
  std::uint16_t port_ = 0;
};

std::set<std::string> ids_of(const std::vector<json>& items) {
  std::set<std::string> ids;
  for (const auto& item : items)
    ids.insert(item["id"].get<std::string>());
  return ids;
}

std::string encoded(const std::string& e164) {
  return "%2B" + e164.substr(1);
}

TEST(OpenphoneEmulatorRest, WalksEveryPageAndStopsOnSigterm) {
  emulator_server server({});
  ASSERT_NE(server.port(), 0) << server.log();

  auto users = server.walk("/v1/users", 2);
  EXPECT_EQ(ids_of(users).size(), 7u);
  EXPECT_EQ(users.size(), 7u);

  auto conversations = server.walk("/v1/conversations", 7);
  EXPECT_EQ(conversations.size(), 40u);
  EXPECT_EQ(ids_of(conversations).size(), 40u);
  for (std::size_t i = 1; i < conversations.size(); ++i)
    EXPECT_GE(conversations[i - 1]["updatedAt"].get<std::string>(),
              conversations[i]["updatedAt"].get<std::string>());

  // The newest conversation's messages, newest first, the last one its lastActivityId or older.
  const auto& newest = conversations.front();
  std::string query = "/v1/messages?phoneNumberId=" + newest["phoneNumberId"].get<std::string>();
  for (const auto& p : newest["participants"])
    query += "&participants=" + encoded(p.get<std::string>());
  auto messages = server.walk(query, 3);
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(ids_of(messages).size(), messages.size());
  for (std::size_t i = 1; i < messages.size(); ++i)
    EXPECT_GE(messages[i - 1]["createdAt"].get<std::string>(),
              messages[i]["createdAt"].get<std::string>());
  for (const auto& m : messages) {
    EXPECT_FALSE(m.contains("media"));
    EXPECT_EQ(m["phoneNumberId"], newest["phoneNumberId"]);
  }

  server.process().send_signal(SIGTERM);
  EXPECT_EQ(server.process().wait(5s), std::optional<int>(0)) << server.log();
}

TEST(OpenphoneEmulatorRest, ErrorsDatedMediaAndStats) {
  emulator_server server({});
  ASSERT_NE(server.port(), 0) << server.log();

  auto unauthorized = server.get("/v1/users", false);
  EXPECT_EQ(unauthorized.status, 401u);
  EXPECT_EQ(json::parse(unauthorized.body)["error"]["key"], "Unauthorized");
  for (auto bad : {"0", "101", "x"}) {
    auto reply = server.get(std::string("/v1/conversations?maxResults=") + bad);
    EXPECT_EQ(reply.status, 400u) << bad;
    auto body = json::parse(reply.body);
    EXPECT_EQ(body["code"], "1000400");
    EXPECT_EQ(body["status"], 400);
  }
  EXPECT_EQ(server.get("/v1/unknown").status, 404u);

  // Find a picture message: v1 hides its media, the dated surface shows it.
  std::optional<json> mms;
  for (const auto& c : server.walk("/v1/conversations", 100)) {
    std::string query = "/v1/messages?phoneNumberId=" + c["phoneNumberId"].get<std::string>();
    for (const auto& p : c["participants"])
      query += "&participants%5B%5D=" + encoded(p.get<std::string>());
    for (const auto& m : server.walk(query, 100)) {
      auto dated = http_request(server.port(), "GET", "/messages/" + m["id"].get<std::string>(), {},
                                {{"Authorization", api_key}, {"Quo-Api-Version", "2026-03-30"}});
      ASSERT_EQ(dated.status, 200u) << dated.body;
      auto body = json::parse(dated.body)["data"];
      EXPECT_EQ(body["id"], m["id"]);
      if (!body["media"].empty()) {
        mms = body;
        break;
      }
    }
    if (mms)
      break;
  }
  ASSERT_TRUE(mms) << "400 messages and not one MMS";
  auto first = (*mms)["media"][0];
  EXPECT_TRUE(first["url"].get<std::string>().starts_with("https://"));
  EXPECT_TRUE(first["type"] == "image/jpeg" || first["type"] == "image/png");
  auto versionless = server.get("/messages/" + (*mms)["id"].get<std::string>());
  EXPECT_EQ(versionless.status, 400u) << "Quo-Api-Version is required";

  auto stats = json::parse(http_get(server.port(), "/_emulator/stats").body);
  EXPECT_EQ(stats["by_status"]["401"], 1);
  EXPECT_EQ(stats["by_status"]["400"], 4);
  EXPECT_EQ(stats["by_status"]["404"], 1);
  auto ok = stats["by_status"]["200"].get<int>();
  EXPECT_GE(ok, 3) << "a conversations page, a messages page, a dated message";
  EXPECT_EQ(stats["rate_limited"], 0);
  EXPECT_EQ(stats["requests"].get<int>(), ok + 6);
  // Served by an endpoint: not the 401, nor the 400 for the missing version header.
  EXPECT_EQ(stats["served"].get<int>(), ok + 4);
  EXPECT_LE(stats["first_request_ms"].get<std::int64_t>(),
            stats["last_request_ms"].get<std::int64_t>());
}

TEST(OpenphoneEmulatorRest, RateLimitAnswers429WithRetryAfter) {
  emulator_server server({"--rate-limit", "3"});
  ASSERT_NE(server.port(), 0) << server.log();
  int ok = 0, limited = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 12; ++i) {
    auto reply = server.get("/v1/phone-numbers");
    if (reply.status == 429) {
      ++limited;
      EXPECT_EQ(reply.header("retry-after"), "1");
      EXPECT_EQ(json::parse(reply.body)["status"], 429);
    } else {
      EXPECT_EQ(reply.status, 200u);
      ++ok;
    }
  }
  // The bucket's three, plus three a second for however long the burst took.
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(ok, 3);
  EXPECT_LE(ok, 3 + static_cast<int>(3 * took.count()) + 1);
  EXPECT_GE(limited, 1);
  auto stats = json::parse(http_get(server.port(), "/_emulator/stats").body);
  EXPECT_EQ(stats["rate_limited"], limited);
  EXPECT_EQ(stats["served"], ok);
  EXPECT_EQ(stats["rate_limit"], 3);
}

// Two requests on one connection, the second only after the first was answered.
TEST(OpenphoneEmulatorRest, KeepsConnectionsAlive) {
  emulator_server server({});
  ASSERT_NE(server.port(), 0) << server.log();
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(5s);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
  beast::flat_buffer buffer;
  for (const char* target : {"/v1/users", "/v1/phone-numbers"}) {
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::authorization, api_key);
    http::write(stream, request);
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    EXPECT_EQ(response.result_int(), 200u) << target;
    EXPECT_TRUE(response.keep_alive());
  }
}

TEST(OpenphoneEmulatorRest, DropCutsTheBodyShort) {
  emulator_server server({"--drop-rate", "1"});
  ASSERT_NE(server.port(), 0) << server.log();
  EXPECT_THROW(server.get("/v1/users"), boost::system::system_error);
  auto stats = json::parse(http_get(server.port(), "/_emulator/stats").body);
  EXPECT_EQ(stats["injected"]["drop"], 1);
  EXPECT_EQ(stats["served"], 0);
}

TEST(OpenphoneEmulatorRest, SlowAnswersWaitWithoutBlockingOthers) {
  emulator_server server({"--slow-rate", "1", "--slow-ms", "700", "--threads", "1"});
  ASSERT_NE(server.port(), 0) << server.log();
  auto start = std::chrono::steady_clock::now();
  auto slow = std::async(std::launch::async, [&] { return server.get("/v1/users"); });
  std::this_thread::sleep_for(100ms);
  // The one thread keeps serving while the slow answer waits on its timer.
  auto stats = http_get(server.port(), "/_emulator/stats");
  EXPECT_EQ(stats.status, 200u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 600ms);
  EXPECT_EQ(slow.get().status, 200u);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 700ms);
}

}  // namespace
}  // namespace crmd::testing
