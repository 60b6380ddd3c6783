#include "net/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace crmd::net {
namespace {

handler tagged(std::string tag, std::string* seen) {
  return [tag = std::move(tag), seen](http_request&&, responder) { *seen = tag; };
}

class RouterTest : public ::testing::Test {
 protected:
  std::string seen_;
  router routes_;

  // Runs the matched handler so a test can tell which route was chosen.
  std::string chosen(std::string_view method, std::string_view path) {
    seen_.clear();
    auto match = routes_.match(method, path);
    if (match.target == nullptr)
      return "<none>";
    (*match.target)(http_request{}, [](http_response) {});
    return seen_;
  }
};

TEST_F(RouterTest, MatchesLiteralPath) {
  routes_.add("GET", "/healthz", "healthz", tagged("healthz", &seen_));
  auto match = routes_.match("GET", "/healthz");
  ASSERT_NE(match.target, nullptr);
  EXPECT_EQ(match.route_name, "healthz");
  EXPECT_TRUE(match.params.empty());
  EXPECT_EQ(chosen("GET", "/healthz"), "healthz");
}

TEST_F(RouterTest, CapturesNamedSegments) {
  routes_.add("POST", "/api/v1/webhook-events/{id}/replay", "replay", tagged("replay", &seen_));
  auto match = routes_.match("POST", "/api/v1/webhook-events/42/replay");
  ASSERT_NE(match.target, nullptr);
  EXPECT_EQ(match.route_name, "replay");
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params.at("id"), "42");
}

TEST_F(RouterTest, CaptureDoesNotMatchEmptySegment) {
  routes_.add("GET", "/contacts/{id}", "contact", tagged("contact", &seen_));
  EXPECT_EQ(routes_.match("GET", "/contacts/").route_name, "not_found");
  EXPECT_EQ(routes_.match("GET", "/contacts").route_name, "not_found");
}

TEST_F(RouterTest, TrailingSlashIsExact) {
  routes_.add("GET", "/contacts", "contacts", tagged("contacts", &seen_));
  EXPECT_NE(routes_.match("GET", "/contacts").target, nullptr);
  auto match = routes_.match("GET", "/contacts/");
  EXPECT_EQ(match.target, nullptr);
  EXPECT_EQ(match.route_name, "not_found");
}

TEST_F(RouterTest, RootPathIsItsOwnRoute) {
  routes_.add("GET", "/", "root", tagged("root", &seen_));
  EXPECT_EQ(chosen("GET", "/"), "root");
  EXPECT_EQ(routes_.match("GET", "//").route_name, "not_found");
}

TEST_F(RouterTest, UnknownPathUsesNotFoundLabel) {
  routes_.add("GET", "/a", "a", tagged("a", &seen_));
  auto match = routes_.match("GET", "/does/not/exist");
  EXPECT_EQ(match.target, nullptr);
  EXPECT_EQ(match.route_name, "not_found");
  EXPECT_TRUE(match.allowed_methods.empty());
  EXPECT_EQ(routes_.match("GET", "no-leading-slash").route_name, "not_found");
}

TEST_F(RouterTest, WrongMethodListsAllowedMethods) {
  routes_.add("GET", "/items/{id}", "item", tagged("get", &seen_));
  routes_.add("DELETE", "/items/{id}", "item_delete", tagged("delete", &seen_));
  auto match = routes_.match("POST", "/items/7");
  EXPECT_EQ(match.target, nullptr);
  EXPECT_EQ(match.route_name, "method_not_allowed");
  EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"GET", "DELETE", "HEAD"}));
}

TEST_F(RouterTest, HeadFallsBackToGet) {
  routes_.add("GET", "/items", "items", tagged("get", &seen_));
  auto match = routes_.match("HEAD", "/items");
  ASSERT_NE(match.target, nullptr);
  EXPECT_EQ(match.route_name, "items");
  EXPECT_EQ(chosen("HEAD", "/items"), "get");
}

TEST_F(RouterTest, ExplicitHeadRouteBeatsGetFallback) {
  routes_.add("GET", "/items", "items", tagged("get", &seen_));
  routes_.add("HEAD", "/items", "items_head", tagged("head", &seen_));
  EXPECT_EQ(chosen("HEAD", "/items"), "head");
  EXPECT_EQ(chosen("GET", "/items"), "get");
}

TEST_F(RouterTest, HeadDoesNotFallBackToPost) {
  routes_.add("POST", "/items", "items", tagged("post", &seen_));
  auto match = routes_.match("HEAD", "/items");
  EXPECT_EQ(match.route_name, "method_not_allowed");
  EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"POST"}));
}

TEST_F(RouterTest, LiteralSegmentBeatsCaptureWhateverTheOrder) {
  routes_.add("GET", "/contacts/{id}", "contact", tagged("capture", &seen_));
  routes_.add("GET", "/contacts/search", "contact_search", tagged("literal", &seen_));
  EXPECT_EQ(chosen("GET", "/contacts/search"), "literal");
  EXPECT_EQ(chosen("GET", "/contacts/17"), "capture");
  EXPECT_EQ(routes_.match("GET", "/contacts/search").route_name, "contact_search");
}

TEST_F(RouterTest, MethodsAreCaseSensitive) {
  routes_.add("GET", "/a", "a", tagged("a", &seen_));
  EXPECT_EQ(routes_.match("get", "/a").route_name, "method_not_allowed");
}

TEST_F(RouterTest, RejectsMalformedPatterns) {
  EXPECT_THROW(routes_.add("GET", "relative", "x", tagged("x", &seen_)), std::invalid_argument);
  EXPECT_THROW(routes_.add("GET", "", "x", tagged("x", &seen_)), std::invalid_argument);
  EXPECT_THROW(routes_.add("GET", "/a/{}", "x", tagged("x", &seen_)), std::invalid_argument);
  EXPECT_THROW(routes_.add("GET", "/a/{id", "x", tagged("x", &seen_)), std::invalid_argument);
}

TEST_F(RouterTest, RejectsDuplicateMethodAndShape) {
  routes_.add("GET", "/items/{id}", "item", tagged("a", &seen_));
  EXPECT_THROW(routes_.add("GET", "/items/{other}", "item2", tagged("b", &seen_)),
               std::invalid_argument);
  EXPECT_NO_THROW(routes_.add("PUT", "/items/{id}", "item_put", tagged("c", &seen_)));
}

TEST(RouterWebsocket, MatchesWebsocketRoutesApartFromHttpRoutes) {
  router routes;
  std::string seen;
  routes.add_websocket("/ws/{room}", "ws_room",
                       [&seen](http_request&& request, std::shared_ptr<ws_upgrade>) {
                         seen = request.path_params.at("room");
                       });
  routes.add("GET", "/ws/{room}", "room_page", [](http_request&&, responder) {});
  auto match = routes.match_websocket("/ws/lobby");
  ASSERT_NE(match.target, nullptr);
  EXPECT_EQ(match.route_name, "ws_room");
  EXPECT_EQ(match.params.at("room"), "lobby");
  http_request request;
  request.path_params = match.params;
  (*match.target)(std::move(request), nullptr);
  EXPECT_EQ(seen, "lobby");
  EXPECT_EQ(routes.match("GET", "/ws/lobby").route_name, "room_page");
  EXPECT_EQ(routes.match_websocket("/ws").target, nullptr);
  EXPECT_EQ(routes.match_websocket("/ws/").target, nullptr);
}

TEST(RouterWebsocket, RejectsDuplicateAndMalformedPatterns) {
  router routes;
  auto none = [](http_request&&, std::shared_ptr<ws_upgrade>) {};
  routes.add_websocket("/ws", "ws", none);
  EXPECT_THROW(routes.add_websocket("/ws", "again", none), std::invalid_argument);
  EXPECT_THROW(routes.add_websocket("ws", "relative", none), std::invalid_argument);
  EXPECT_THROW(routes.add_websocket("/a{b}", "malformed", none), std::invalid_argument);
}

}  // namespace
}  // namespace crmd::net
