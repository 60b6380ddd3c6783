#include "integrations/openphone/rest_directory.hpp"
#include "integrations/openphone/rest_envelope.hpp"

#include "openphone_rest_objects.hpp"

#include <gtest/gtest.h>

namespace crmd::integrations::openphone {
namespace {

using namespace rest_objects;

TEST(OpenPhoneRestEnvelope, ReadsDataTotalAndNextPageToken) {
  auto list = read_list(rest_objects::list(json::array({user()}), "tok2").dump());
  ASSERT_TRUE(list.ok()) << list.error;
  EXPECT_EQ(list.value->data.size(), 1u);
  EXPECT_EQ(list.value->next_page_token, "tok2");
  EXPECT_EQ(list.value->total_items, 3);
}

TEST(OpenPhoneRestEnvelope, NullMissingOrEmptyTokenIsTheLastPage) {
  for (auto body : {R"({"data":[],"totalItems":0,"nextPageToken":null})", R"({"data":[]})",
                    R"({"data":[],"nextPageToken":""})"}) {
    auto list = read_list(body);
    ASSERT_TRUE(list.ok()) << body;
    EXPECT_FALSE(list.value->next_page_token) << body;
  }
}

TEST(OpenPhoneRestEnvelope, RefusesBrokenEnvelopes) {
  for (auto body : {"", "not json", "[]", R"({"data":{}})", R"({"items":[]})",
                    R"({"data":[],"nextPageToken":5})", R"({"data":[],"totalItems":"3"})"})
    EXPECT_FALSE(read_list(body).ok()) << body;
}

TEST(OpenPhoneRestEnvelope, RefusesBodiesNestedTooDeeply) {
  std::string deep = R"({"data":[)" + std::string(40, '[') + std::string(40, ']') + "]}";
  auto list = read_list(deep);
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error, "body nests too deeply");
}

TEST(OpenPhoneRestEnvelope, SingleObjectResponsesUnwrapData) {
  auto data = read_single(json{{"data", user()}}.dump());
  ASSERT_TRUE(data.ok());
  EXPECT_EQ((*data.value)["id"], "US1");
  EXPECT_FALSE(read_single(R"({"data":[]})").ok());
  EXPECT_FALSE(read_single(R"({"data":null})").ok());
}

TEST(OpenPhoneRestEnvelope, PageKeepsGoodItemsAndReportsEveryBadOne) {
  auto bad_number = phone_number();
  bad_number["number"] = "508-555-0199";
  auto page = map_phone_number_page(
    rest_objects::list(json::array({phone_number(), bad_number, 42})).dump());
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page.items.size(), 1u);
  ASSERT_EQ(page.item_errors.size(), 2u);
  EXPECT_EQ(page.item_errors[0].index, 1u);
  EXPECT_EQ(page.item_errors[0].id, "PN1");
  EXPECT_EQ(page.item_errors[0].message, "phoneNumber.number must be an E.164 number");
  EXPECT_EQ(page.item_errors[1].index, 2u);
  EXPECT_EQ(page.item_errors[1].id, "");
}

TEST(OpenPhoneRestEnvelope, PageOfABrokenEnvelopeSaysWhy) {
  auto page = map_user_page("<html>502 Bad Gateway</html>");
  EXPECT_FALSE(page.ok());
  EXPECT_EQ(page.error, "body is not valid JSON");
  EXPECT_TRUE(page.items.empty());
}

TEST(OpenPhoneRestEnvelope, ErrorInTheLiveWrappedShape) {
  auto error = read_error(
    R"({"error":{"message":"Unauthorized","key":"Unauthorized","trace":"123"}})");
  EXPECT_EQ(error.message, "Unauthorized");
  EXPECT_EQ(error.key, "Unauthorized");
  EXPECT_EQ(error.trace, "123");
  EXPECT_EQ(error.summary(), "Unauthorized");
}

TEST(OpenPhoneRestEnvelope, ErrorInTheSpecFlatShape) {
  auto error = read_error(
    R"({"message":"A2P registration not approved","code":"0206400","status":400,)"
    R"("docs":"https://docs","title":"A2P Registration Not Approved"})");
  EXPECT_EQ(error.code, "0206400");
  EXPECT_EQ(error.title, "A2P Registration Not Approved");
  EXPECT_EQ(error.summary(), "A2P registration not approved (0206400)");
}

TEST(OpenPhoneRestEnvelope, ErrorBodiesOfOtherShapesGiveWhatTheyHave) {
  EXPECT_EQ(read_error(R"({"error":"Too many requests"})").message, "Too many requests");
  EXPECT_EQ(read_error("upstream timed out").summary(), "");
  EXPECT_EQ(read_error(R"({"error":{"message":7}})").summary(), "");
  EXPECT_EQ(read_error(R"({"code":1001})").code, "1001");
}

}  // namespace
}  // namespace crmd::integrations::openphone
