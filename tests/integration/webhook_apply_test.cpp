// The webhook path's SQL against a real, migrated PostgreSQL: storing deliveries once, and
// applying events so that any arrival order converges on the same rows.
#include "storage/event_statements.hpp"
#include "storage/migrator.hpp"
#include "tests/support/sync_pool.hpp"
#include "tests/support/test_database.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <variant>

namespace crmd::testing {
namespace {

using domain::activity_change;
using domain::webhook_event;

class WebhookApply : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = std::make_unique<test_database>("webhook_apply");
    auto migrated = storage::migrate(database_->url());
    ASSERT_TRUE(std::holds_alternative<storage::migrate_report>(migrated));
    pool_ = std::make_unique<sync_pool>(database_->url());
  }
  static void TearDownTestSuite() {
    pool_.reset();
    database_.reset();
  }

  // Stores the event in the inbox and returns its row id.
  static std::int64_t store(const webhook_event& event) {
    storage::inbox_row row{event.event_id, event.event_type, event.api_version,
                           R"({"id":")" + event.event_id + R"("})", "received", "", ""};
    auto outcome = pool_->run({storage::insert_inbox_rows({row})});
    EXPECT_TRUE(outcome.ok()) << (outcome.error ? outcome.error->message : "");
    EXPECT_EQ(outcome.results[0].rows.size(), 1u);
    return std::stoll(*outcome.results[0].rows[0][0]);
  }

  static storage::pg_outcome apply(const webhook_event& event) {
    return pool_->run({storage::apply_event_group({{store(event), &event}})});
  }

  static std::string scalar(const std::string& sql) { return database_->scalar(sql); }

  static std::unique_ptr<test_database> database_;
  static std::unique_ptr<sync_pool> pool_;
};

std::unique_ptr<test_database> WebhookApply::database_;
std::unique_ptr<sync_pool> WebhookApply::pool_;

int next_event = 0;

webhook_event event_of(std::string type, activity_change change) {
  return {"EV" + std::to_string(++next_event), std::move(type), "v3", "2025-05-01T14:05:00.000Z",
          std::move(change)};
}

activity_change inbound_message(std::string id, std::string from) {
  activity_change change;
  change.openphone_id = std::move(id);
  change.activity_type = "message";
  change.direction = "incoming";
  change.status = "received";
  change.from_number = from;
  change.to_numbers = {"+15085550199"};
  change.participants = {from};
  change.our_number = "+15085550199";
  change.phone_number_id = "PN1";
  change.body = "Crack photo attached — ça va";
  change.media = {{"https://example.test/a.jpg", "image/jpeg", std::nullopt}};
  change.occurred_at = "2025-05-01T14:00:00.010Z";
  return change;
}

activity_change completed_call(std::string id, std::string party) {
  activity_change change;
  change.openphone_id = std::move(id);
  change.activity_type = "call";
  change.direction = "incoming";
  change.status = "completed";
  change.from_number = party;
  change.to_numbers = {"+15085550199"};
  change.participants = {party};
  change.phone_number_id = "PN1";
  change.duration_seconds = 95;
  change.answered_at = "2025-05-01T15:00:05.000Z";
  change.completed_at = "2025-05-01T15:01:40.000Z";
  change.occurred_at = "2025-05-01T15:00:00.000Z";
  return change;
}

activity_change call_enrichment(std::string id) {
  activity_change change;
  change.openphone_id = std::move(id);
  change.activity_type = "call";
  return change;
}

std::vector<webhook_event> call_lifecycle(const std::string& id, const std::string& party) {
  auto ringing = completed_call(id, party);
  ringing.status = "ringing";
  ringing.duration_seconds.reset();
  ringing.answered_at.reset();
  ringing.completed_at.reset();
  auto recording = call_enrichment(id);
  recording.recording_url = "https://example.test/" + id + ".mp3";
  recording.media = {{recording.recording_url.value(), "audio/mpeg", 95.0}};
  auto summary = call_enrichment(id);
  summary.ai_summary = std::vector<std::string>{"Customer reports a basement crack.", "Wants a quote."};
  summary.ai_next_steps = std::vector<std::string>{"Send quote"};
  summary.ai_content_status = "completed";
  auto transcript = call_enrichment(id);
  transcript.ai_transcript = nlohmann::json::array(
    {{{"content", "Hello"}, {"start", 0.0}, {"end", 1.2}, {"identifier", party}}});
  transcript.ai_content_status = "completed";
  return {event_of("call.ringing", ringing), event_of("call.completed", completed_call(id, party)),
          event_of("call.recording.completed", recording),
          event_of("call.summary.completed", summary),
          event_of("call.transcript.completed", transcript)};
}

std::string call_row(const test_database& database, const std::string& id) {
  return database.scalar(
    "SELECT concat_ws('|', activity_type, direction, status, from_number, to_numbers::text, "
    "participants::text, duration_seconds, recording_url IS NOT NULL, media_urls::text <> '[]', "
    "answered_at, completed_at, ai_summary::text, ai_next_steps::text, ai_transcript::text, "
    "ai_content_status, occurred_at, conversation_id IS NOT NULL, contact_id IS NOT NULL) "
    "FROM activities WHERE openphone_id = '" + id + "'");
}

TEST_F(WebhookApply, InboundMessageCreatesContactConversationAndActivity) {
  auto event = event_of("message.received", inbound_message("ACm1", "+15085550100"));
  auto outcome = apply(event);
  ASSERT_TRUE(outcome.ok()) << outcome.error->message;
  EXPECT_EQ(scalar("SELECT count(*) FROM contacts WHERE phone = '+15085550100'"), "1");
  EXPECT_EQ(scalar("SELECT source FROM contacts WHERE phone = '+15085550100'"), "webhook");
  EXPECT_EQ(scalar("SELECT last_activity_id FROM conversations c JOIN contacts k ON k.id = "
                   "c.contact_id WHERE k.phone = '+15085550100'"),
            "ACm1");
  EXPECT_EQ(scalar("SELECT body FROM activities WHERE openphone_id = 'ACm1'"),
            "Crack photo attached — ça va");
  EXPECT_EQ(scalar("SELECT media_urls->0->>'type' FROM activities WHERE openphone_id = 'ACm1'"),
            "image/jpeg");
  EXPECT_EQ(scalar("SELECT status FROM webhook_events WHERE event_id = '" + event.event_id + "'"),
            "processed");
  // One live frame per applied activity (row_id, conversation_id, frame), then one per touched
  // conversation (no row_id).
  const auto& frames = outcome.results.front().rows;
  ASSERT_EQ(frames.size(), 2u);
  auto published = nlohmann::json::parse(*frames[0][2]);
  EXPECT_EQ(published["event"], "activity.created");
  EXPECT_EQ(published["data"]["openphone_id"], "ACm1");
  EXPECT_FALSE(frames[1][0]);
  auto conversation = nlohmann::json::parse(*frames[1][2]);
  EXPECT_EQ(conversation["event"], "conversation.updated");
  EXPECT_EQ(conversation["data"]["preview"]["body"], "Crack photo attached — ça va");
  EXPECT_EQ(conversation["data"]["contact"]["phone"], "+15085550100");
}

TEST_F(WebhookApply, ApplyingTheSameEventTwiceChangesNothing) {
  auto event = event_of("message.received", inbound_message("ACm2", "+15085550102"));
  ASSERT_TRUE(apply(event).ok());
  auto before = scalar("SELECT updated_at FROM activities WHERE openphone_id = 'ACm2'");
  auto again = event;
  again.event_id += "-redelivered";
  ASSERT_TRUE(apply(again).ok());
  EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE openphone_id = 'ACm2'"), "1");
  EXPECT_EQ(scalar("SELECT updated_at FROM activities WHERE openphone_id = 'ACm2'"), before);
}

TEST_F(WebhookApply, GroupMessageKeepsEveryParticipant) {
  auto change = inbound_message("ACg1", "+15085550110");
  change.direction = "outgoing";
  change.status = "delivered";
  change.from_number = "+15085550199";
  change.to_numbers = {"+15085550110", "+15085550111", "+15085550112"};
  change.participants = change.to_numbers;
  ASSERT_TRUE(apply(event_of("message.delivered", change)).ok());
  EXPECT_EQ(scalar("SELECT participants::text FROM activities WHERE openphone_id = 'ACg1'"),
            "{+15085550110,+15085550111,+15085550112}");
  EXPECT_EQ(scalar("SELECT count(*) FROM contacts WHERE phone IN "
                   "('+15085550110','+15085550111','+15085550112')"),
            "3");
  EXPECT_EQ(scalar("SELECT array_length(participants, 1) FROM conversations WHERE "
                   "last_activity_id = 'ACg1'"),
            "3");
}

TEST_F(WebhookApply, AKnownConversationIdWinsOverTheListedParties) {
  auto outgoing = inbound_message("ACn1", "+15085550160");
  outgoing.direction = "outgoing";
  outgoing.status = "delivered";
  outgoing.participants = {"+15085550160", "+15085550161"};
  outgoing.conversation_openphone_id = "CNgroup1";
  ASSERT_TRUE(apply(event_of("message.delivered", outgoing)).ok());
  // An incoming reply whose parties (wrongly) include our own number, same conversation id.
  auto incoming = inbound_message("ACn2", "+15085550160");
  incoming.participants = {"+15085550160", "+15085550161", "+15085550199"};
  incoming.conversation_openphone_id = "CNgroup1";
  auto outcome = apply(event_of("message.received", incoming));
  ASSERT_TRUE(outcome.ok()) << outcome.error->message;
  EXPECT_EQ(scalar("SELECT count(DISTINCT conversation_id) FROM activities WHERE openphone_id IN "
                   "('ACn1','ACn2')"),
            "1");
  EXPECT_EQ(scalar("SELECT count(*) FROM conversations WHERE openphone_id = 'CNgroup1'"), "1");
}

TEST_F(WebhookApply, CallEventsConvergeWhateverTheirOrder) {
  auto in_order = call_lifecycle("ACc1", "+15085550120");
  for (const auto& event : in_order)
    ASSERT_TRUE(apply(event).ok());
  auto reversed = call_lifecycle("ACc2", "+15085550120");
  std::reverse(reversed.begin(), reversed.end());
  for (const auto& event : reversed)
    ASSERT_TRUE(apply(event).ok());
  auto shuffled = call_lifecycle("ACc3", "+15085550120");
  std::rotate(shuffled.begin(), shuffled.begin() + 3, shuffled.end());
  for (const auto& event : shuffled)
    ASSERT_TRUE(apply(event).ok());

  auto expected = call_row(*database_, "ACc1");
  EXPECT_NE(expected.find("completed"), std::string::npos) << expected;
  EXPECT_EQ(call_row(*database_, "ACc2"), expected);
  EXPECT_EQ(call_row(*database_, "ACc3"), expected);
  EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE openphone_id LIKE 'ACc_'"), "3");
}

// One batch holding a call's every event (and another call's, reversed) must end where applying
// them one by one ends: the batch splits each activity's events into waves, in order.
TEST_F(WebhookApply, OneBatchConvergesLikeEventsAppliedOneByOne) {
  auto one_by_one = call_lifecycle("ACb1", "+15085550125");
  for (const auto& event : one_by_one)
    ASSERT_TRUE(apply(event).ok());
  auto batched = call_lifecycle("ACb2", "+15085550125");
  auto reversed = call_lifecycle("ACb3", "+15085550125");
  std::reverse(reversed.begin(), reversed.end());
  std::vector<storage::stored_event> group;
  for (const auto* events : {&batched, &reversed})
    for (const auto& event : *events)
      group.push_back({store(event), &event});
  auto outcome = pool_->run({storage::apply_event_group(group)});
  ASSERT_TRUE(outcome.ok()) << outcome.error->message;
  // The events of each call fold into one change: a frame per call, and one for the
  // conversation both calls share.
  EXPECT_EQ(outcome.results.front().rows.size(), 3u);
  auto expected = call_row(*database_, "ACb1");
  EXPECT_EQ(call_row(*database_, "ACb2"), expected);
  EXPECT_EQ(call_row(*database_, "ACb3"), expected);
  EXPECT_EQ(scalar("SELECT count(*) FROM webhook_events WHERE status = 'processed' AND id IN ("
                   + std::to_string(group.front().row_id) + ", "
                   + std::to_string(group.back().row_id) + ")"),
            "2");
}

TEST_F(WebhookApply, AnEventAppliedAlreadyIsNotAppliedAgain) {
  auto first = event_of("message.received", inbound_message("ACr1", "+15085550131"));
  auto first_row = store(first);
  ASSERT_TRUE(pool_->run({storage::apply_event_group({{first_row, &first}})}).ok());
  auto edited = inbound_message("ACr1", "+15085550131");
  edited.body = "Second thoughts";
  ASSERT_TRUE(apply(event_of("message.received", edited)).ok());
  // A re-drive that fetched the first event while its apply was committing hands it over again.
  auto again = pool_->run({storage::apply_event_group({{first_row, &first}})});
  ASSERT_TRUE(again.ok()) << again.error->message;
  EXPECT_TRUE(again.results.front().rows.empty());
  EXPECT_EQ(scalar("SELECT body FROM activities WHERE openphone_id = 'ACr1'"), "Second thoughts");
}

TEST_F(WebhookApply, MessageStatusNeverMovesBackwards) {
  auto delivered = inbound_message("ACs1", "+15085550130");
  delivered.direction = "outgoing";
  delivered.status = "delivered";
  ASSERT_TRUE(apply(event_of("message.delivered", delivered)).ok());
  auto queued = delivered;
  queued.status = "queued";
  ASSERT_TRUE(apply(event_of("message.delivered", queued)).ok());
  EXPECT_EQ(scalar("SELECT status FROM activities WHERE openphone_id = 'ACs1'"), "delivered");
}

TEST_F(WebhookApply, ContactUpdateLinksTheExistingPersonAndDeleteUnlinks) {
  ASSERT_TRUE(apply(event_of("message.received", inbound_message("ACk1", "+15085550140"))).ok());
  domain::contact_change contact;
  contact.openphone_id = "CT77";
  contact.first_name = "Dana";
  contact.last_name = "Reyes";
  contact.phone_numbers = {"+15085550140", "+15085550141"};
  contact.emails = {"dana@example.test"};
  ASSERT_TRUE(apply({"EVk2", "contact.updated", "v3", "2025-05-01T16:00:00Z", contact}).ok());
  EXPECT_EQ(scalar("SELECT concat_ws(' ', first_name, last_name, openphone_id, email, "
                   "phone_numbers::text) FROM contacts WHERE phone = '+15085550140'"),
            "Dana Reyes CT77 dana@example.test {+15085550140,+15085550141}");
  EXPECT_EQ(scalar("SELECT count(*) FROM contacts WHERE phone_numbers @> '{+15085550140}'"), "1");
  ASSERT_TRUE(apply({"EVk3", "contact.deleted", "v3", "2025-05-01T17:00:00Z",
                     domain::contact_removal{"CT77"}})
                .ok());
  EXPECT_EQ(scalar("SELECT coalesce(openphone_id, 'unlinked') FROM contacts WHERE phone = "
                   "'+15085550140'"),
            "unlinked");
  EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE openphone_id = 'ACk1'"), "1");
}

TEST_F(WebhookApply, InboxStoresEachEventIdOnce) {
  storage::inbox_row first{"EVdup1", "message.received", "v3", R"({"id":"EVdup1"})", "received",
                           "", ""};
  storage::inbox_row odd{"EVodd1", "call.teleported", "v4", R"({"id":"EVodd1","n":[1,2]})",
                         "failed", "unsupported_event_type", "unknown type call.teleported"};
  auto outcome = pool_->run({storage::insert_inbox_rows({first, first, odd})});
  ASSERT_TRUE(outcome.ok()) << outcome.error->message;
  EXPECT_EQ(outcome.results[0].rows.size(), 2u);
  auto again = pool_->run({storage::insert_inbox_rows({first})});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.results[0].rows.empty());
  EXPECT_EQ(scalar("SELECT payload->'n'->>1 FROM webhook_events WHERE event_id = 'EVodd1'"), "2");
  EXPECT_EQ(scalar("SELECT concat_ws(',', status, error_code, next_attempt_at) FROM "
                   "webhook_events WHERE event_id = 'EVodd1'"),
            "failed,unsupported_event_type,infinity");
}

// The intake stores an applied event once, already processed: no second version of its row
// (payload included) is written to mark it. The counters are the transaction's own.
TEST_F(WebhookApply, StoringAndApplyingWritesEachEventRowOnce) {
  auto event = event_of("message.received", inbound_message("ACw1", "+15085550160"));
  storage::inbox_row row{event.event_id, event.event_type, event.api_version,
                         R"({"id":")" + event.event_id + R"("})", "received", "", ""};
  auto outcome = pool_->run(
    {storage::store_and_apply({row}, {&event}, std::chrono::milliseconds(100)),
     storage::statement::text("SELECT n_tup_ins, n_tup_upd FROM pg_stat_xact_user_tables "
                              "WHERE relname = 'webhook_events'")});
  ASSERT_TRUE(outcome.ok()) << outcome.error->message;
  ASSERT_EQ(outcome.results[1].rows.size(), 1u);
  EXPECT_EQ(*outcome.results[1].rows[0][0], "1");
  EXPECT_EQ(*outcome.results[1].rows[0][1], "0");
  EXPECT_EQ(scalar("SELECT concat_ws(',', status, next_attempt_at IS NULL, "
                   "processed_at >= received_at) FROM webhook_events WHERE event_id = '" +
                   event.event_id + "'"),
            "processed,t,t");
  EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE openphone_id = 'ACw1'"), "1");
}

// Only texts the reply processor may act on wait for it: a carrier keyword, or a text from a
// contact a campaign text went out to. Any other incoming text is done with when applied.
TEST_F(WebhookApply, OnlyTextsTheReplyProcessorMayActOnWaitForIt) {
  auto pending = [](const std::string& id) {
    return scalar("SELECT reply_processed_at IS NULL FROM activities WHERE openphone_id = '" + id +
                  "'");
  };
  ASSERT_TRUE(apply(event_of("message.received", inbound_message("ACr1", "+15085550170"))).ok());
  EXPECT_EQ(pending("ACr1"), "f");

  auto stop = inbound_message("ACr2", "+15085550171");
  stop.body = " Stop. ";
  ASSERT_TRUE(apply(event_of("message.received", stop)).ok());
  EXPECT_EQ(pending("ACr2"), "t");

  database_->exec(
    "INSERT INTO campaigns (name, template_a, status) VALUES ('Fall', 'Crack?', 'running');"
    "INSERT INTO campaign_memberships (campaign_id, contact_id, phone, status, variant_sent, "
    "sent_at, body) SELECT currval('campaigns_id_seq'), id, phone, 'sent', 'A', now(), 'Crack?' "
    "FROM contacts WHERE phone = '+15085550170'");
  ASSERT_TRUE(apply(event_of("message.received", inbound_message("ACr3", "+15085550170"))).ok());
  EXPECT_EQ(pending("ACr3"), "t");
}

TEST_F(WebhookApply, FailuresCountAttemptsUntilDead) {
  auto event = event_of("message.received", inbound_message("ACf1", "+15085550150"));
  auto row = store(event);
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto outcome =
      pool_->run({storage::record_event_failure(row, "sqlstate_23514", "check failed", 3, 1000)});
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome.results[0].rows[0][0], attempt < 3 ? "failed" : "dead");
  }
  EXPECT_EQ(scalar("SELECT attempts FROM webhook_events WHERE id = " + std::to_string(row)), "3");
}

// The CHECK on every phone-number array (V003's all_e164): valid lists pass, anything else fails.
TEST_F(WebhookApply, PhoneNumberArraysMustHoldOnlyE164) {
  auto check = [](const std::string& literal) {
    return scalar("SELECT all_e164('" + literal + "'::text[])");
  };
  EXPECT_EQ(check("{}"), "t");
  EXPECT_EQ(check("{+15085550100}"), "t");
  EXPECT_EQ(check("{+15085550100,+442071838750}"), "t");
  EXPECT_EQ(check(R"({"+15085550100,+15085550101"})"), "f");
  EXPECT_EQ(check("{+1}"), "f");
  EXPECT_EQ(check("{NULL}"), "f");
  EXPECT_EQ(check(R"({""})"), "f");
  EXPECT_EQ(check(R"({"",""})"), "f");
  EXPECT_EQ(check("{+15085550100,5085550101}"), "f");
}

}  // namespace
}  // namespace crmd::testing
