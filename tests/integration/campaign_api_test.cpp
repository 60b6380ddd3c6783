// The campaign API against a serving crmd and a real PostgreSQL: editing with validation at the
// edge, the audience preview (opted-out and duplicate numbers excluded), CSV members, the reply
// processor (STOP / START / HELP, replies tied to the member they answer and classified) and
// the analytics with their CSV exports.
#include "tests/support/child_process.hpp"
#include "tests/support/crmd_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_accounts.hpp"
#include "tests/support/test_database.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

namespace crmd::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class CampaignApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = std::make_unique<test_database>("campaign_api");
    auto emulator_port = free_tcp_port();
    emulator_ = std::make_unique<child_process>(
      CRMD_EMULATOR,
      std::vector<std::string>{"--serve", "--listen", "127.0.0.1:" + std::to_string(emulator_port),
                               "--api-key", "api-test-key", "--seed", "5", "--numbers", "1",
                               "--users", "1", "--contacts", "1", "--conversations", "1",
                               "--messages", "1", "--calls", "0", "--rate-limit", "0"},
      "campaign_api_emulator.log");
    emulator_port_ = emulator_port;
    crmd_ = std::make_unique<crmd_process>(std::map<std::string, std::string>{
      {"CRM_DATABASE_URL", database_->url()},
      {"CRM_OPENPHONE_API_URL", "http://127.0.0.1:" + std::to_string(emulator_port)},
      {"CRM_OPENPHONE_API_KEY", "api-test-key"},
      {"CRM_CAMPAIGN_HELP_REPLY", "Help: call 508-555-0000. Reply STOP to opt out."}});
    auto numbers = json::parse(http_request(emulator_port, "GET", "/v1/phone-numbers", {},
                                            {{"Authorization", "api-test-key"}})
                                 .body);
    our_id_ = numbers["data"][0]["id"].get<std::string>();
    auto our_number = numbers["data"][0]["number"].get<std::string>();
    // Maria talked to us a year ago (an existing customer); Olive opted out; all have a
    // conversation on our number.
    database_->exec("insert into phone_numbers (openphone_id, phone_number, name) values ('" +
                    our_id_ + "', '" + our_number + "', 'Main')");
    database_->exec(R"SQL(
      insert into contacts (first_name, last_name, phone, phone_numbers, tags, city)
      values ('Maria', 'López', '+15085550100', '{+15085550100}', '{roof}', 'Worcester'),
             ('John', 'Smith', '+15085550101', '{+15085550101}', '{roof,basement}', null),
             ('Olive', 'Out', '+15085550102', '{+15085550102}', '{roof}', null),
             ('Paul', 'Plain', '+15085550103', '{+15085550103}', '{}', null);
      update contacts set opted_out_at = now() where first_name = 'Olive';
      insert into conversations (contact_id, participants, phone_number_id)
      select id, phone_numbers, (select openphone_id from phone_numbers) from contacts order by id;
      insert into activities (conversation_id, contact_id, activity_type, direction, status,
                              from_number, body, occurred_at, reply_processed_at)
      values (1, 1, 'message', 'incoming', 'received', '+15085550100', 'old news',
              now() - interval '1 year', now() - interval '1 year');
    )SQL");
    owner_ = login_new_user(crmd_->port(), database_->url());
    staff_ = login_new_user(crmd_->port(), database_->url(),
                            {.email = "staff@crmd.test", .role = "staff"});
  }
  static void TearDownTestSuite() {
    crmd_.reset();
    emulator_.reset();
    database_.reset();
  }

  static http_reply get(const std::string& target) {
    return http_request(crmd_->port(), "GET", target, {}, owner_.headers());
  }
  static http_reply send(const std::string& method, const std::string& target,
                         const std::string& body, const test_session& as = owner_,
                         const std::string& type = "application/json") {
    return http_request(crmd_->port(), method, target, body, as.headers({{"Content-Type", type}}));
  }
  static json body_of(const http_reply& reply) { return json::parse(reply.body, nullptr, false); }
  static std::string error_code(const http_reply& reply) {
    auto body = body_of(reply);
    return body.is_object() && body["error"].is_object() ? body["error"].value("code", "") : "";
  }
  static std::int64_t create(const json& fields) {
    auto reply = send("POST", "/api/v1/campaigns", fields.dump());
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return body_of(reply)["id"].get<std::int64_t>();
  }
  // Polls a scalar query until it returns `expected` or 10 s pass; returns the last value.
  static std::string eventually(const std::string& sql, const std::string& expected) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    auto value = database_->scalar(sql);
    while (value != expected && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
      value = database_->scalar(sql);
    }
    return value;
  }
  static std::string incoming(int contact, const std::string& body) {
    return database_->scalar(
      "insert into activities (conversation_id, contact_id, activity_type, direction, status, "
      "from_number, body, occurred_at) select v.id, v.contact_id, 'message', 'incoming', "
      "'received', v.participants[1], '" + body + "', now() from conversations v "
      "where v.contact_id = " + std::to_string(contact) + " returning id");
  }

  static std::unique_ptr<test_database> database_;
  static std::unique_ptr<child_process> emulator_;
  static std::unique_ptr<crmd_process> crmd_;
  static std::uint16_t emulator_port_;
  static test_session owner_;
  static test_session staff_;
  static std::string our_id_;
};

std::unique_ptr<test_database> CampaignApi::database_;
std::unique_ptr<child_process> CampaignApi::emulator_;
std::unique_ptr<crmd_process> CampaignApi::crmd_;
std::uint16_t CampaignApi::emulator_port_ = 0;
test_session CampaignApi::owner_;
test_session CampaignApi::staff_;
std::string CampaignApi::our_id_;

TEST_F(CampaignApi, EveryRouteNeedsASession) {
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
         {"GET", "/api/v1/campaigns"},
         {"POST", "/api/v1/campaigns"},
         {"GET", "/api/v1/campaigns/1"},
         {"PATCH", "/api/v1/campaigns/1"},
         {"DELETE", "/api/v1/campaigns/1"},
         {"GET", "/api/v1/campaigns/1/members"},
         {"GET", "/api/v1/campaigns/1/audience/preview"},
         {"POST", "/api/v1/campaigns/1/audience/csv"},
         {"POST", "/api/v1/campaigns/1/launch"},
         {"POST", "/api/v1/campaigns/1/pause"},
         {"GET", "/api/v1/campaigns/1/analytics"},
         {"GET", "/api/v1/campaigns/1/analytics.csv"},
         {"GET", "/api/v1/campaigns/1/members.csv"},
         {"POST", "/api/v1/templates/preview"}}) {
    auto reply = http_request(crmd_->port(), method, target, "{}");
    EXPECT_EQ(reply.status, 401u) << method << " " << target;
  }
}

TEST_F(CampaignApi, EditsAreValidatedAndOnlyDraftsChange) {
  auto bad_template = send("POST", "/api/v1/campaigns",
                           R"({"name":"Spring","template_a":"Hi {frist_name}"})");
  EXPECT_EQ(bad_template.status, 422u);
  auto error = body_of(bad_template)["error"];
  EXPECT_EQ(error["code"], "invalid_template");
  EXPECT_EQ(error["field"], "template_a");
  EXPECT_EQ(error["offset"], 3);
  EXPECT_EQ(error_code(send("POST", "/api/v1/campaigns", "{")), "invalid_json");
  auto missing = send("POST", "/api/v1/campaigns", R"({"template_a":"Hi"})");
  EXPECT_EQ(missing.status, 400u);
  EXPECT_EQ(body_of(missing)["error"]["field"], "name");
  auto number = send("POST", "/api/v1/campaigns",
                     R"({"name":"x","template_a":"Hi","from_phone_number_id":"PNnope"})");
  EXPECT_EQ(number.status, 400u);
  EXPECT_EQ(body_of(number)["error"]["field"], "from_phone_number_id");
  EXPECT_EQ(database_->scalar("select count(*) from campaigns"), "0") << "nothing stored";

  auto created = send("POST", "/api/v1/campaigns",
                      json{{"name", " Spring "}, {"template_a", "Hi {first_name|there}"},
                           {"from_phone_number_id", our_id_}, {"quiet_hours_start", "19:30"},
                           {"audience", {{"tags", {"roof"}}}}}
                        .dump());
  ASSERT_EQ(created.status, 201u) << created.body;
  auto campaign = body_of(created);
  auto id = std::to_string(campaign["id"].get<std::int64_t>());
  EXPECT_EQ(campaign["name"], "Spring");
  EXPECT_EQ(campaign["status"], "draft");
  EXPECT_EQ(campaign["quiet_hours_start"], "19:30");
  EXPECT_EQ(campaign["quiet_hours_end"], "09:00");
  EXPECT_EQ(campaign["progress"]["members"], 0);

  auto patched = send("PATCH", "/api/v1/campaigns/" + id, R"({"daily_cap":250,"template_b":"Yo"})");
  ASSERT_EQ(patched.status, 200u) << patched.body;
  EXPECT_EQ(body_of(patched)["daily_cap"], 250);
  EXPECT_EQ(body_of(patched)["template_b"], "Yo");
  auto fetched = body_of(get("/api/v1/campaigns/" + id));
  EXPECT_EQ(fetched["name"], "Spring");
  EXPECT_EQ(fetched["analytics"]["total"]["members"], 0);
  EXPECT_EQ(fetched["analytics"]["ab_test"]["significant"], false);
  EXPECT_EQ(get("/api/v1/campaigns/999999").status, 404u);
  EXPECT_EQ(send("PATCH", "/api/v1/campaigns/999999", R"({"daily_cap":1})").status, 404u);

  auto second = create({{"name", "Second"}, {"template_a", "Hello"}});
  auto page = body_of(get("/api/v1/campaigns?limit=1"));
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["id"], second) << "newest first";
  auto rest = body_of(get("/api/v1/campaigns?limit=1&cursor=" +
                          page["next_cursor"].get<std::string>()));
  ASSERT_GE(rest["items"].size(), 1u);
  EXPECT_LT(rest["items"][0]["id"].get<std::int64_t>(), second);
  EXPECT_EQ(error_code(get("/api/v1/campaigns?status=bogus")), "invalid_status");

  database_->exec("update campaigns set status = 'running' where id = " + id);
  EXPECT_EQ(error_code(send("PATCH", "/api/v1/campaigns/" + id, R"({"daily_cap":1})")),
            "campaign_not_editable");
  EXPECT_EQ(error_code(send("DELETE", "/api/v1/campaigns/" + id, "")), "campaign_not_editable");
  EXPECT_EQ(body_of(get("/api/v1/campaigns?status=running"))["items"].size(), 1u);
  database_->exec("update campaigns set status = 'complete' where id = " + id);
  EXPECT_EQ(send("DELETE", "/api/v1/campaigns/" + std::to_string(second), "").status, 204u);
  EXPECT_EQ(get("/api/v1/campaigns/" + std::to_string(second)).status, 404u);
}

TEST_F(CampaignApi, PreviewExcludesOptedOutAndDuplicateNumbers) {
  auto id = std::to_string(create({{"name", "Roofs"},
                                   {"template_a", "Hi {first_name|there}, about your roof"},
                                   {"template_b", "Hello {first_name|there}!"},
                                   {"opt_out_line", "Reply STOP to opt out"},
                                   {"on_existing_contact", "flag_for_review"},
                                   {"audience", {{"tags", {"roof"}}}}}));
  // John again (another spelling), a new number twice, Olive (opted out), a bad row.
  auto upload = send("POST", "/api/v1/campaigns/" + id + "/audience/csv",
                     "phone,first_name,tags\n"
                     "(508) 555-0101,John,\n"
                     "508-555-0177,Nina,\"new;roof\"\n"
                     "+1 508 555 0177,Nina,\n"
                     "5085550102,Olive,\n"
                     "12,Bad,\n",
                     owner_, "text/csv");
  ASSERT_EQ(upload.status, 200u) << upload.body;
  auto added = body_of(upload);
  EXPECT_EQ(added["added"], 2);
  EXPECT_EQ(added["duplicates"], 1);
  EXPECT_EQ(added["skipped_opted_out"], 1);
  ASSERT_EQ(added["errors"].size(), 1u);
  EXPECT_EQ(added["errors"][0]["line"], 6);
  EXPECT_EQ(database_->scalar("select source from contacts where phone = '+15085550177'"),
            "import_csv");

  auto reply = get("/api/v1/campaigns/" + id + "/audience/preview");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto preview = body_of(reply);
  EXPECT_EQ(preview["count"], 3) << "Maria, John (once), Nina";
  EXPECT_EQ(preview["excluded_opted_out"], 1);
  EXPECT_EQ(preview["existing_customers"], 1) << "Maria talked to us before";
  ASSERT_EQ(preview["sample"].size(), 3u);
  auto maria = preview["sample"][0];
  EXPECT_EQ(maria["name"], "Maria López");
  EXPECT_EQ(maria["status"], "review");
  EXPECT_TRUE(maria["variant"] == "A" || maria["variant"] == "B");
  auto nina = preview["sample"][2];
  EXPECT_EQ(nina["phone"], "+15085550177");
  auto expected = nina["variant"] == "A" ? "Hi Nina, about your roof\nReply STOP to opt out"
                                         : "Hello Nina!\nReply STOP to opt out";
  EXPECT_EQ(nina["rendered"], expected);
  EXPECT_EQ(nina["segments"]["encoding"], "gsm7");
  EXPECT_EQ(nina["segments"]["segments"], 1);
  EXPECT_EQ(get("/api/v1/campaigns/999999/audience/preview").status, 404u);

  // The registry's launch step: the filter's members join the uploaded ones, once.
  EXPECT_EQ(database_->scalar("select materialize_campaign_audience(" + id + ")"), "1");
  EXPECT_EQ(database_->scalar("select materialize_campaign_audience(" + id + ")"), "0");
  EXPECT_EQ(database_->scalar("select string_agg(k.first_name || ':' || m.status, ',' "
                              "order by k.first_name) from campaign_memberships m join contacts "
                              "k on k.id = m.contact_id where m.campaign_id = " + id),
            "John:pending,Maria:review,Nina:pending");
  auto members = body_of(get("/api/v1/campaigns/" + id + "/members?status=review"));
  ASSERT_EQ(members["items"].size(), 1u);
  EXPECT_EQ(members["items"][0]["name"], "Maria López");

  database_->exec("update campaigns set status = 'running' where id = " + id);
  EXPECT_EQ(error_code(send("POST", "/api/v1/campaigns/" + id + "/audience/csv",
                            "phone\n5085550103\n", owner_, "text/csv")),
            "campaign_not_editable");
}

TEST_F(CampaignApi, TemplatePreviewShowsErrorsAndCost) {
  auto ok = body_of(send("POST", "/api/v1/templates/preview",
                         R"({"template":"Hi {first_name|there} 👍","values":{"first_name":"Ann"}})"));
  EXPECT_EQ(ok["ok"], true);
  EXPECT_EQ(ok["rendered"], "Hi Ann 👍");
  EXPECT_EQ(ok["segments"]["encoding"], "ucs2");
  auto bad = body_of(send("POST", "/api/v1/templates/preview", R"({"template":"Hi {nope}"})"));
  EXPECT_EQ(bad["ok"], false);
  EXPECT_EQ(bad["error"]["offset"], 3);
}

TEST_F(CampaignApi, CommandsAreTheOwnersAndAnswerForTheRegistry) {
  auto id = std::to_string(create({{"name", "Cmd"}, {"template_a", "Hi"}}));
  EXPECT_EQ(send("POST", "/api/v1/campaigns/" + id + "/launch", "", staff_).status, 403u);
  EXPECT_EQ(send("POST", "/api/v1/campaigns/" + id + "/cancel", "", staff_).status, 403u);
  EXPECT_EQ(error_code(send("POST", "/api/v1/campaigns/" + id + "/launch",
                            R"({"scheduled_at":"soon"})")),
            "invalid_field");
  // A draft cannot be paused (the registry's check_transition).
  auto paused = send("POST", "/api/v1/campaigns/" + id + "/pause", "");
  EXPECT_EQ(paused.status, 409u) << paused.body;
}

TEST_F(CampaignApi, RepliesOptOutOptInHelpAndTieToTheirMember) {
  auto sent = std::to_string(create({{"name", "Replies"}, {"template_a", "Need a repair?"}}));
  auto other = std::to_string(create({{"name", "Later"}, {"template_a", "Still there?"}}));
  // Maria and John got the text an hour ago, Paul four days ago (outside the 72 h window);
  // Maria is also waiting in another campaign.
  database_->exec(
    "insert into campaign_memberships (campaign_id, contact_id, phone, status, variant_sent, "
    "sent_at, body) values (" + sent + ", 1, '+15085550100', 'sent', 'A', now() - interval "
    "'1 hour', 'Need a repair?'), (" + sent + ", 2, '+15085550101', 'sent', 'B', now() - "
    "interval '1 hour', 'Need a repair?'), (" + sent + ", 4, '+15085550103', 'sent', 'A', "
    "now() - interval '96 hours', 'Need a repair?'), (" + other + ", 1, '+15085550100', "
    "'pending', null, null, null)");
  database_->exec("update campaigns set status = 'running' where id in (" + sent + "," + other +
                  ")");
  auto stop = incoming(1, "Stop.");
  auto yes = incoming(2, "Yes please");
  auto late = incoming(4, "maybe next year");
  EXPECT_EQ(eventually("select count(*) from activities where reply_processed_at is null", "0"),
            "0");
  EXPECT_NE(database_->scalar("select opted_out_at from contacts where id = 1"), "");
  EXPECT_EQ(database_->scalar("select action || ':' || keyword || ':' || activity_id from "
                              "opt_out_events where contact_id = 1"),
            "opt_out:STOP:" + stop);
  auto member = [&](int contact, const std::string& campaign) {
    return database_->scalar("select status || ':' || coalesce(reply_reason, '') || ':' || "
                             "coalesce(suppressed_reason, '') from campaign_memberships where "
                             "contact_id = " + std::to_string(contact) + " and campaign_id = " +
                             campaign);
  };
  EXPECT_EQ(member(1, sent), "replied_negative:opt-out keyword STOP:");
  EXPECT_EQ(member(1, other), "suppressed::opted_out");
  EXPECT_EQ(member(2, sent), "replied_positive:reply is 'yes please':");
  EXPECT_EQ(member(4, sent), "sent::") << "outside the reply window";
  EXPECT_EQ(database_->scalar("select reply_activity_id from campaign_memberships where "
                              "contact_id = 2 and campaign_id = " + sent),
            yes);
  (void)late;

  // Undecided by the rules and no language model configured: neutral.
  database_->exec("update campaign_memberships set status = 'sent' where contact_id = 2 and "
                  "campaign_id = " + sent);
  incoming(2, "How much would it cost?");
  EXPECT_EQ(eventually("select status from campaign_memberships where contact_id = 2 and "
                       "campaign_id = " + sent, "replied_neutral"),
            "replied_neutral");
  EXPECT_EQ(member(2, sent), "replied_neutral:no rule matched:");

  auto start = incoming(1, "START");
  EXPECT_EQ(eventually("select count(*) from contacts where id = 1 and opted_out_at is null", "1"),
            "1");
  EXPECT_EQ(database_->scalar("select action || ':' || keyword || ':' || activity_id from "
                              "opt_out_events where contact_id = 1 order by id desc limit 1"),
            "opt_in:START:" + start);

  auto help = incoming(2, "help");
  EXPECT_EQ(eventually("select count(*) from activities where send_key = 'help:" + help +
                         "' and openphone_id is not null",
                       "1"),
            "1");
  auto outbox = json::parse(http_get(emulator_port_, "/_emulator/sent").body);
  ASSERT_EQ(outbox["data"].size(), 1u);
  EXPECT_EQ(outbox["data"][0]["content"], "Help: call 508-555-0000. Reply STOP to opt out.");
  EXPECT_EQ(outbox["data"][0]["to"], json({"+15085550101"}));
  EXPECT_EQ(outbox["data"][0]["phoneNumberId"], our_id_);
}

TEST_F(CampaignApi, OptingOutInTheAppIsAuditedAndSuppressesPendingMembers) {
  auto id = std::to_string(create({{"name", "Paul's"}, {"template_a", "Hi"}}));
  database_->exec("insert into campaign_memberships (campaign_id, contact_id, phone) values (" +
                  id + ", 4, '+15085550103')");
  EXPECT_EQ(error_code(send("PATCH", "/api/v1/contacts/4", R"({"opted_out":"yes"})")),
            "invalid_field");
  auto out = send("PATCH", "/api/v1/contacts/4", R"({"opted_out":true,"city":"Boston"})");
  ASSERT_EQ(out.status, 200u) << out.body;
  EXPECT_FALSE(body_of(out)["opted_out_at"].is_null());
  EXPECT_EQ(body_of(out)["city"], "Boston");
  EXPECT_EQ(database_->scalar("select status || ':' || suppressed_reason from "
                              "campaign_memberships where campaign_id = " + id),
            "suppressed:opted_out");
  auto back = send("PATCH", "/api/v1/contacts/4", R"({"opted_out":false})");
  ASSERT_EQ(back.status, 200u);
  EXPECT_TRUE(body_of(back)["opted_out_at"].is_null());
  EXPECT_EQ(database_->scalar("select string_agg(action || ':' || (user_id = " +
                              owner_.user["id"].dump() + ")::text, ',' order by id) from "
                              "opt_out_events where contact_id = 4"),
            "opt_out:true,opt_in:true");
  EXPECT_EQ(send("PATCH", "/api/v1/contacts/999", R"({"opted_out":true})").status, 404u);
}

TEST_F(CampaignApi, AnalyticsCountPerVariantWithTheAbTest) {
  auto id = std::to_string(create({{"name", "Numbers"}, {"template_a", "A"},
                                   {"template_b", "B"}}));
  // 40 sent on each variant: A gets 20 positive replies, B 4; 5 A texts delivered, 2 B failed;
  // one B member opted out after the text.
  database_->exec(R"SQL(
    insert into contacts (first_name, phone, phone_numbers)
    select 'N' || g, '+1508556' || lpad(g::text, 4, '0'), array['+1508556' || lpad(g::text, 4, '0')]
    from generate_series(1, 82) g;
    insert into activities (contact_id, activity_type, direction, status, body, occurred_at,
                            reply_processed_at)
    select k.id, 'message', 'outgoing', 'delivered', 'A', now() - interval '2 hours', now()
    from contacts k where k.first_name in ('N1', 'N2', 'N3', 'N4', 'N5');
  )SQL");
  database_->exec(
    "insert into campaign_memberships (campaign_id, contact_id, phone, status, variant_sent, "
    "sent_at, activity_id, suppressed_reason) "
    "select " + id + ", k.id, k.phone, "
    "case when n <= 20 then 'replied_positive' when n between 41 and 44 then 'replied_positive' "
    "when n between 45 and 46 then 'failed' when n = 47 then 'suppressed' else 'sent' end, "
    "case when n <= 40 then 'A' else 'B' end, "
    "case when n between 45 and 46 then null else now() - interval '3 hours' end, "
    "(select a.id from activities a where a.contact_id = k.id and a.direction = 'outgoing'), "
    "case when n = 47 then 'opted_out' end "
    "from (select k.*, row_number() over (order by k.id) as n from contacts k "
    "where k.first_name like 'N%' and k.first_name <> 'Nina') k where n <= 80");
  auto reply = get("/api/v1/campaigns/" + id + "/analytics");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto analytics = body_of(reply);
  auto a = analytics["variants"]["A"];
  auto b = analytics["variants"]["B"];
  EXPECT_EQ(a["members"], 40);
  EXPECT_EQ(a["sent"], 40);
  EXPECT_EQ(a["delivered"], 5);
  EXPECT_EQ(a["positive"], 20);
  EXPECT_EQ(a["replies"], 20);
  EXPECT_EQ(b["sent"], 38);
  EXPECT_EQ(b["failed"], 2);
  EXPECT_EQ(b["positive"], 4);
  EXPECT_EQ(b["opt_outs"], 1);
  EXPECT_EQ(analytics["total"]["members"], 80);
  EXPECT_EQ(analytics["total"]["positive"], 24);
  EXPECT_EQ(analytics["ab_test"]["significant"], true);
  EXPECT_GT(analytics["ab_test"]["z"].get<double>(), 3.0);

  auto csv = get("/api/v1/campaigns/" + id + "/analytics.csv");
  ASSERT_EQ(csv.status, 200u);
  EXPECT_EQ(csv.header("content-type").value_or(""), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body,
            "variant,members,sent,delivered,failed,replies,positive,negative,neutral,opt_outs,"
            "positive_rate\r\n"
            "A,40,40,5,0,20,20,0,0,0,0.5000\r\n"
            "B,40,38,0,2,4,4,0,0,1,0.1053\r\n"
            "total,80,78,5,2,24,24,0,0,1,0.3077\r\n");
  auto members = get("/api/v1/campaigns/" + id + "/members.csv");
  ASSERT_EQ(members.status, 200u);
  EXPECT_EQ(std::count(members.body.begin(), members.body.end(), '\n'), 81);
  EXPECT_EQ(members.body.substr(0, members.body.find('\r')),
            "member_id,contact_id,name,phone,status,variant,existing_customer,sent_at,"
            "delivery_status,replied_at,reply_reason,suppressed_reason,failure_reason");
  EXPECT_NE(members.body.find(",N1,+15085560001,replied_positive,A,false,"), std::string::npos)
    << members.body.substr(0, 400);
  EXPECT_EQ(get("/api/v1/campaigns/999999/analytics.csv").status, 404u);
}

}  // namespace
}  // namespace crmd::testing
