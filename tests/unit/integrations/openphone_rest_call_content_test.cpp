#include "integrations/openphone/rest_call_content.hpp"

#include "openphone_rest_objects.hpp"

#include <gtest/gtest.h>

namespace crmd::integrations::openphone {
namespace {

using namespace rest_objects;

TEST(OpenPhoneRestRecordings, FirstCompletedSegmentIsTheRecordingAndAllAreMedia) {
  auto items = recordings();
  items.insert(items.begin(), json{{"id", "CR0"}, {"url", "https://files.example/cr0.mp3"},
                                   {"type", "audio/mpeg"}, {"status", "processing"}});
  auto result = map_recordings("AC2", items);
  ASSERT_TRUE(result.ok()) << result.error;
  const auto& change = *result.value;
  EXPECT_EQ(change.openphone_id, "AC2");
  EXPECT_EQ(change.activity_type, "call");
  EXPECT_EQ(change.recording_url, "https://files.example/cr1.mp3");
  ASSERT_EQ(change.media.size(), 3u);
  EXPECT_EQ(change.media[0].url, "https://files.example/cr0.mp3");
  EXPECT_EQ(change.media[1].type, "audio/mpeg");
  EXPECT_EQ(change.media[1].duration, 120);
  EXPECT_EQ(change.media[2].duration, 170.5);
  EXPECT_FALSE(change.direction);
  EXPECT_FALSE(change.occurred_at);
  EXPECT_TRUE(change.participants.empty());
}

TEST(OpenPhoneRestRecordings, SegmentsWithoutUrlAreSkippedAndNoneCompletedMeansNoUrl) {
  json items = json::array({{{"id", "CR1"}, {"url", nullptr}, {"status", "processing"}},
                            {{"id", "CR2"}, {"url", "https://f/2.mp3"}, {"status", "stopped"}}});
  auto result = map_recordings("AC2", items);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.value->recording_url);
  ASSERT_EQ(result.value->media.size(), 1u);
  EXPECT_EQ(result.value->media[0].type, "");
}

TEST(OpenPhoneRestRecordings, RefusesMalformedSegments) {
  EXPECT_EQ(map_recordings("", recordings()).error, "recordings need the call id");
  EXPECT_EQ(map_recordings("AC2", json::object()).error, "recordings must be an array");
  auto items = recordings();
  items[1]["duration"] = -1;
  EXPECT_EQ(map_recordings("AC2", items).error, "recordings.[1].duration must not be negative");
  items = recordings();
  items[0]["url"] = 7;
  EXPECT_EQ(map_recordings("AC2", items).error, "recordings.[0].url must be a string");
  EXPECT_EQ(map_recordings("AC2", json::array({"x"})).error, "recordings.[0] must be an object");
}

TEST(OpenPhoneRestRecordings, ReadsTheUnpaginatedResponse) {
  auto result = map_recordings_response("AC2", json{{"data", recordings()}}.dump());
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.value->media.size(), 2u);
  EXPECT_FALSE(map_recordings_response("AC2", "{}").ok());
}

TEST(OpenPhoneRestSummary, MapsSentencesNextStepsAndStatus) {
  auto result = map_single<domain::activity_change>(json{{"data", summary()}}.dump(), map_summary);
  ASSERT_TRUE(result.ok()) << result.error;
  const auto& change = *result.value;
  EXPECT_EQ(change.openphone_id, "AC2");
  EXPECT_EQ(change.activity_type, "call");
  EXPECT_EQ(change.ai_content_status, "completed");
  EXPECT_EQ(change.ai_summary,
            (strings{"Customer reports a basement crack.", "Wants a quote."}));
  EXPECT_EQ(change.ai_next_steps, strings{"Schedule an inspection."});
}

TEST(OpenPhoneRestSummary, InProgressIsPendingAndBadShapesAreRefused) {
  auto item = summary();
  item["status"] = "in-progress";
  item["summary"] = nullptr;
  item["nextSteps"] = nullptr;
  auto result = map_summary(item);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value->ai_content_status, "pending");
  EXPECT_FALSE(result.value->ai_summary);
  item["summary"] = "one string";
  EXPECT_EQ(map_summary(item).error, "summary.summary must be an array");
  item = summary();
  item.erase("callId");
  EXPECT_EQ(map_summary(item).error, "summary.callId is required");
}

TEST(OpenPhoneRestTranscript, KeepsTheDialogueAsReceived) {
  auto result = map_transcript(transcript());
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.value->openphone_id, "AC2");
  EXPECT_EQ(result.value->ai_content_status, "completed");
  ASSERT_TRUE(result.value->ai_transcript);
  EXPECT_EQ(*result.value->ai_transcript, transcript()["dialogue"]);
}

TEST(OpenPhoneRestTranscript, NullDialogueSaysNothingAndBadLinesAreRefused) {
  auto item = transcript();
  item["dialogue"] = nullptr;
  item["status"] = "absent";
  auto result = map_transcript(item);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.value->ai_transcript);
  EXPECT_EQ(result.value->ai_content_status, "pending");
  item["dialogue"] = json::array({"hello"});
  EXPECT_EQ(map_transcript(item).error, "transcript.dialogue must hold only objects");
}

TEST(OpenPhoneRestVoicemail, MapsTheRecordAndTheCallsSide) {
  auto result = map_voicemail("AC3", voicemail());
  ASSERT_TRUE(result.ok()) << result.error;
  const auto& record = *result.value;
  EXPECT_EQ(record.call_id, "AC3");
  EXPECT_EQ(record.id, "VM1");
  EXPECT_EQ(record.url, "https://files.example/vm1.mp3");
  EXPECT_EQ(record.duration_seconds, 31);
  EXPECT_EQ(record.transcript, "Please call me back about the foundation.");
  EXPECT_EQ(record.status, "completed");
  auto change = voicemail_change(record);
  EXPECT_EQ(change.openphone_id, "AC3");
  EXPECT_EQ(change.activity_type, "call");
  EXPECT_EQ(change.voicemail_url, "https://files.example/vm1.mp3");
  EXPECT_FALSE(change.duration_seconds) << "the voicemail's length is not the call's";
}

TEST(OpenPhoneRestVoicemail, ProcessingVoicemailHasNoUrlYet) {
  json processing{{"id", "VM1"}, {"duration", nullptr}, {"transcript", nullptr},
                  {"recordingUrl", nullptr}, {"status", "processing"}};
  auto result = map_voicemail("AC3", processing);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.value->url);
  EXPECT_FALSE(voicemail_change(*result.value).voicemail_url);
  processing["duration"] = "31";
  EXPECT_EQ(map_voicemail("AC3", processing).error, "voicemail.duration must be a number");
  EXPECT_EQ(map_voicemail("", voicemail()).error, "a voicemail needs the call id");
}

}  // namespace
}  // namespace crmd::integrations::openphone
