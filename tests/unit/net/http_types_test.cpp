#include "net/http_types.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crmd::net {
namespace {

http_request with_query(std::string query) {
  http_request request;
  request.query = std::move(query);
  return request;
}

TEST(HttpRequest, HeaderLooksUpLowerCaseName) {
  http_request request;
  request.headers = {{"content-type", "text/plain"}, {"x-a", "1"}, {"x-a", "2"}};
  EXPECT_EQ(request.header("content-type"), "text/plain");
  EXPECT_EQ(request.header("x-a"), "1");
  EXPECT_FALSE(request.header("missing").has_value());
}

TEST(HttpRequest, QueryParamDecodesPercentAndPlus) {
  auto request = with_query("name=Ann+Lee&city=S%C3%A3o%20Paulo&sign=a%2Bb");
  EXPECT_EQ(request.query_param("name"), "Ann Lee");
  EXPECT_EQ(request.query_param("city"), "S\xC3\xA3o Paulo");
  EXPECT_EQ(request.query_param("sign"), "a+b");
}

TEST(HttpRequest, QueryParamMissingEmptyAndBare) {
  auto request = with_query("a=&b&&c=3");
  EXPECT_EQ(request.query_param("a"), "");
  EXPECT_EQ(request.query_param("b"), "");
  EXPECT_EQ(request.query_param("c"), "3");
  EXPECT_FALSE(request.query_param("d").has_value());
  EXPECT_FALSE(with_query("").query_param("a").has_value());
}

TEST(HttpRequest, QueryParamFirstOccurrenceWins) {
  EXPECT_EQ(with_query("x=1&x=2").query_param("x"), "1");
}

TEST(HttpRequest, QueryParamMatchesDecodedKey) {
  auto request = with_query("first%20name=Bo&page%5Bsize%5D=20");
  EXPECT_EQ(request.query_param("first name"), "Bo");
  EXPECT_EQ(request.query_param("page[size]"), "20");
}

TEST(HttpRequest, QueryParamKeepsMalformedEscapesLiterally) {
  auto request = with_query("a=100%&b=%zz&c=%4");
  EXPECT_EQ(request.query_param("a"), "100%");
  EXPECT_EQ(request.query_param("b"), "%zz");
  EXPECT_EQ(request.query_param("c"), "%4");
}

TEST(PercentDecode, PlusIsLiteralOutsideQueries) {
  EXPECT_EQ(percent_decode("/a+b/%41%62"), "/a+b/Ab");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
}

TEST(ErrorResponse, HasStableJsonShape) {
  auto response = error_response(404, "not_found", "no route for /x");
  EXPECT_EQ(response.status, 404u);
  EXPECT_EQ(response.content_type, "application/json");
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body, nlohmann::json::parse(
                    R"({"error":{"code":"not_found","message":"no route for /x"}})"));
}

TEST(ErrorResponse, EscapesMessageText) {
  auto response = error_response(400, "bad_request", "quote \" and \\ and \n");
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["error"]["message"], "quote \" and \\ and \n");
}

TEST(ErrorResponse, SurvivesInvalidUtf8) {
  auto response = error_response(400, "bad_request", std::string("bad \xFF byte"));
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["error"]["message"], "bad \xEF\xBF\xBD byte");  // U+FFFD
}

TEST(JsonResponse, CarriesStatusAndBody) {
  auto response = json_response(201, R"({"id":1})");
  EXPECT_EQ(response.status, 201u);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"id":1})");
  EXPECT_TRUE(response.headers.empty());
}

}  // namespace
}  // namespace crmd::net
