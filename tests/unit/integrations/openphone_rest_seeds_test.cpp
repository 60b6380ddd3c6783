#include "integrations/openphone/rest_activities.hpp"
#include "integrations/openphone/rest_call_content.hpp"
#include "integrations/openphone/rest_contacts.hpp"
#include "integrations/openphone/rest_directory.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace crmd::integrations::openphone {
namespace {

std::string seed(const std::string& name) {
  std::ifstream file(CRMD_SOURCE_DIR "/tests/fuzz/corpus/openphone_rest/" + name);
  EXPECT_TRUE(file.good()) << name;
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

template <class T>
void expect_clean(const rest_page<T>& page, const std::string& name) {
  EXPECT_TRUE(page.ok()) << name << ": " << page.error;
  EXPECT_FALSE(page.items.empty()) << name;
  EXPECT_TRUE(page.item_errors.empty()) << name << ": " << page.item_errors.front().message;
}

// The fuzz seeds stay real-shaped: each maps cleanly with the mapper it was written for, so the
// fuzzer starts from inputs that reach every mapper's inner fields.
TEST(OpenPhoneRestSeeds, FuzzSeedsAreRealShaped) {
  rest_options options{.our_numbers = {{"PN1", "+15085550199"}}};
  expect_clean(map_message_page(seed("messages_page.json"), options), "messages");
  expect_clean(map_call_page(seed("calls_page.json"), options), "calls");
  expect_clean(map_contact_page(seed("contacts_page.json")), "contacts");
  expect_clean(map_user_page(seed("users_page.json")), "users");
  expect_clean(map_conversation_page(seed("conversations_page.json")), "conversations");
  expect_clean(map_phone_number_page(seed("phone_numbers.json")), "phone numbers");
  auto message = [&options](const nlohmann::json& j) { return map_message(j, options); };
  auto call = [&options](const nlohmann::json& j) { return map_call(j, options); };
  EXPECT_TRUE(map_single<domain::activity_change>(seed("message_single.json"), message).ok());
  EXPECT_TRUE(map_single<domain::activity_change>(seed("call_single.json"), call).ok());
  EXPECT_TRUE(map_single<domain::contact_change>(seed("contact_single.json"), map_contact).ok());
  EXPECT_TRUE(map_single<domain::activity_change>(seed("summary.json"), map_summary).ok());
  EXPECT_TRUE(map_single<domain::activity_change>(seed("transcript.json"), map_transcript).ok());
  EXPECT_TRUE(map_recordings_response("AC2", seed("recordings.json")).ok());
  auto voicemail = [](const nlohmann::json& j) { return map_voicemail("AC4", j); };
  EXPECT_TRUE(map_single<domain::openphone_voicemail>(seed("voicemail.json"), voicemail).ok());
  EXPECT_FALSE(read_error(seed("error_live_401.json")).summary().empty());
  EXPECT_FALSE(read_error(seed("error_spec_400.json")).summary().empty());
  auto bad = map_message_page(seed("page_with_bad_items.json"), options);
  EXPECT_TRUE(bad.ok());
  EXPECT_EQ(bad.item_errors.size(), 3u);
}

}  // namespace
}  // namespace crmd::integrations::openphone
