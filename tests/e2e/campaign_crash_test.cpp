// A 5,000-member campaign sent by the real crmd through the emulator's REST API, with crmd killed
// by SIGKILL twice while it sends (and restarted on the same database): members across every UTC
// offset, so some are inside their window at the test's real time and some outside (decided with
// the same rules crmd uses, on zones whose window does not change while the test runs); some opted
// out before the campaign runs, some texting STOP through signed webhooks while it runs; and a
// share of the provider's answers cut off after accepting the text. Afterwards the emulator's send
// log has every eligible member exactly once, nobody outside their window, nobody after opting out.
#include "domain/campaign/quiet_hours.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/crmd_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/webhook_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace crmd::testing {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
namespace dc = domain::campaign;

constexpr const char* api_key = "campaign-crash-key";
constexpr int members = 5000;
const dc::local_window campaign_window{std::chrono::hours{9}, std::chrono::hours{20}};

bool open_at(std::chrono::system_clock::time_point at, const std::string& zone) {
  return dc::check_send_window(std::chrono::floor<std::chrono::seconds>(at), zone,
                               campaign_window)
           .state
         == dc::window_state::open;
}

std::string member_phone(int n) {
  char phone[16];
  std::snprintf(phone, sizeof phone, "+1781555%04d", n);
  return phone;
}

struct emulator_server {
  explicit emulator_server(const std::string& output)
    : process(CRMD_EMULATOR,
              {"--serve", "--api-key", api_key, "--seed", "11", "--numbers", "1", "--users", "1",
               "--contacts", "0", "--conversations", "1", "--messages", "0", "--calls", "0",
               "--rate-limit", "0", "--send-drop-rate", "0.02", "--threads", "2"},
              output) {
    port = wait_for_listening_port(output, 10s);
  }
  json sent() const { return json::parse(http_request(port, "GET", "/_emulator/sent").body); }

  child_process process;
  std::uint16_t port = 0;
};

TEST(CampaignCrash, TwoSigkillsWhileSendingTextNobodyTwiceOrOutOfTurn) {
  test_database database("campaign_crash");
  auto tag = std::to_string(::getpid());
  auto emulator_log = "/tmp/crmd-e2e-campaign-emulator-" + tag;
  emulator_server emulator(emulator_log);
  ASSERT_NE(emulator.port, 0) << read_file(emulator_log);

  // Zones whose window state holds for the next 20 minutes: the test's verdicts cannot flip.
  auto start = std::chrono::system_clock::now();
  std::vector<std::string> open_zones, closed_zones;
  for (int offset = -12; offset <= 14; ++offset) {
    std::string zone = offset == 0 ? "Etc/GMT"
                                   : "Etc/GMT" + std::string(offset < 0 ? "+" : "-")
                                       + std::to_string(std::abs(offset));
    bool now_open = open_at(start, zone);
    bool stable = true;
    for (auto ahead = 1min; ahead <= 20min; ahead += 1min)
      stable = stable && open_at(start + ahead, zone) == now_open;
    if (stable)
      (now_open ? open_zones : closed_zones).push_back(zone);
  }
  ASSERT_FALSE(open_zones.empty());
  ASSERT_FALSE(closed_zones.empty());

  std::map<std::string, std::string> environment{
    {"CRM_HTTP_LISTEN", "127.0.0.1:" + std::to_string(free_tcp_port())},
    {"CRM_OPENPHONE_WEBHOOK_KEYS", test_webhook_secret},
    {"CRM_OPENPHONE_API_URL", "http://127.0.0.1:" + std::to_string(emulator.port)},
    {"CRM_OPENPHONE_API_KEY", api_key},
    {"CRM_OPENPHONE_RATE_LIMIT", "150"},
    {"CRM_OPENPHONE_TIMEOUT_MS", "3000"},
    {"CRM_CAMPAIGN_PAGE_SIZE", "200"},
  };
  {
    // The schema first: crmd migrates at start.
    environment["CRM_DATABASE_URL"] = database.url();
    crmd_process migrate(environment);
    migrate.stop(SIGTERM);
  }
  database.exec("INSERT INTO phone_numbers (openphone_id, phone_number) VALUES "
                "('PN1', '+15085550199')");
  auto campaign = database.scalar(
    "INSERT INTO campaigns (name, template_a, from_phone_number_id, throttle_per_minute, "
    "daily_cap, quiet_hours_start, quiet_hours_end, status, started_at) VALUES ('Crash', "
    "'Hi {first_name}, a free foundation check this week?', 'PN1', 100000, 100000, '20:00', "
    "'09:00', 'running', now()) RETURNING id");
  // Member n: zone by n, every 25th opted out before the run, every 40th (open zone) texts STOP.
  std::map<std::string, std::string> zone_of;
  std::set<std::string> opted_out_before, stop_senders, open_members;
  std::string contacts_sql =
    "INSERT INTO contacts (first_name, phone, phone_numbers, time_zone, opted_out_at) VALUES ";
  auto all_zones = open_zones;
  all_zones.insert(all_zones.end(), closed_zones.begin(), closed_zones.end());
  for (int n = 0; n < members; ++n) {
    auto phone = member_phone(n);
    auto zone = all_zones[static_cast<std::size_t>(n) % all_zones.size()];
    zone_of[phone] = zone;
    bool opted = n % 25 == 7;
    if (opted)
      opted_out_before.insert(phone);
    bool open = std::find(open_zones.begin(), open_zones.end(), zone) != open_zones.end();
    if (open && !opted) {
      open_members.insert(phone);
      if (n % 40 == 3)
        stop_senders.insert(phone);
    }
    contacts_sql += std::string(n ? "," : "") + "('M" + std::to_string(n) + "','" + phone
                    + "',ARRAY['" + phone + "'],'" + zone + "'," + (opted ? "now()" : "NULL")
                    + ")";
  }
  database.exec(contacts_sql);
  database.exec("INSERT INTO campaign_memberships (campaign_id, contact_id, phone) "
                "SELECT " + campaign + ", id, phone FROM contacts ORDER BY id");
  ASSERT_GT(stop_senders.size(), 10u);

  auto first = std::make_unique<crmd_process>(environment);
  auto sent_count = [&] {
    return std::stoi(database.scalar("SELECT count(*) FROM campaign_memberships WHERE status "
                                     "IN ('sent', 'sending')"));
  };
  // STOP from a share of the members while the campaign runs (signed, through the webhook path).
  int stop_index = 0;
  for (const auto& phone : stop_senders) {
    auto reply = post_webhook(first->port(),
                              inbound_message_payload("EVstop" + std::to_string(stop_index),
                                                      "ACstop" + std::to_string(stop_index),
                                                      phone, "STOP"));
    EXPECT_LT(reply.status, 300u);
    ++stop_index;
  }
  for (int i = 0; i < 600 && sent_count() < 400; ++i)
    std::this_thread::sleep_for(50ms);
  ASSERT_GE(sent_count(), 400) << first->log();
  std::int64_t kill_ms[2] = {0, 0};
  auto wall_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
  };
  kill_ms[0] = wall_ms();
  EXPECT_EQ(first->stop(SIGKILL), 128 + SIGKILL);
  first.reset();

  auto second = std::make_unique<crmd_process>(environment);
  auto before_second_kill = sent_count();
  for (int i = 0; i < 600 && sent_count() < before_second_kill + 600; ++i)
    std::this_thread::sleep_for(50ms);
  EXPECT_GE(sent_count(), before_second_kill + 600) << second->log();
  kill_ms[1] = wall_ms();
  EXPECT_EQ(second->stop(SIGKILL), 128 + SIGKILL);
  second.reset();

  crmd_process third(environment);
  // Done when no member of an open zone is pending or sending any more.
  std::string open_list = "'{";
  for (std::size_t i = 0; i < open_zones.size(); ++i)
    open_list += (i ? "," : "") + open_zones[i];
  open_list += "}'::text[]";
  std::string left;
  for (int i = 0; i < 2400; ++i) {
    left = database.scalar(
      "SELECT count(*) FROM campaign_memberships m JOIN contacts k ON k.id = m.contact_id "
      "WHERE m.status IN ('pending', 'sending') AND k.time_zone = ANY(" + open_list + ")");
    if (left == "0")
      break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(left, "0") << third.log();

  // The emulator's log against the rules.
  auto log = emulator.sent();
  std::map<std::string, int> copies;
  std::map<std::string, std::int64_t> accepted_ms;
  std::map<std::string, std::string> accepted_list;
  for (const auto& text : log["data"]) {
    auto to = text["to"][0].get<std::string>();
    ++copies[to];
    accepted_ms[to] = text["acceptedMs"].get<std::int64_t>();
    accepted_list[to] += " " + text["id"].get<std::string>() + "@"
                         + std::to_string(text["acceptedMs"].get<std::int64_t>());
  }
  std::map<std::string, std::int64_t> opted_out_ms;
  {
    std::istringstream rows(database.scalar(
      "SELECT string_agg(phone || ' ' || (extract(epoch FROM opted_out_at) * 1000)::bigint, ' ') "
      "FROM contacts WHERE opted_out_at IS NOT NULL"));
    std::string phone;
    std::int64_t ms = 0;
    while (rows >> phone >> ms)
      opted_out_ms[phone] = ms;
  }
  int stopped_in_time = 0;
  for (const auto& [phone, count] : copies) {
    EXPECT_EQ(count, 1) << phone << " got " << count << " copies:" << accepted_list[phone]
                        << "; membership "
                        << database.scalar(
                             "SELECT concat_ws(' ', status, provider_message_id, "
                             "(extract(epoch FROM sending_at) * 1000)::bigint, "
                             "(extract(epoch FROM sent_at) * 1000)::bigint) FROM "
                             "campaign_memberships WHERE phone = '" + phone + "'")
                        << "; kills at " << kill_ms[0] << " " << kill_ms[1];
    EXPECT_TRUE(open_members.count(phone)) << phone << " is outside its window or opted out";
    EXPECT_TRUE(open_at(std::chrono::system_clock::time_point{std::chrono::milliseconds{
                          accepted_ms[phone]}},
                        zone_of[phone]))
      << phone;
    if (auto opted = opted_out_ms.find(phone); opted != opted_out_ms.end()) {
      // A send begun before the opt-out committed may reach the provider just after it.
      EXPECT_LE(accepted_ms[phone], opted->second + 5000) << phone << " texted after STOP";
    }
  }
  for (const auto& phone : open_members) {
    bool stopped = stop_senders.count(phone) > 0;
    if (!stopped)
      EXPECT_EQ(copies[phone], 1) << phone << " never got the text";
    else if (copies.count(phone) == 0)
      ++stopped_in_time;
  }
  for (const auto& phone : stop_senders)
    EXPECT_TRUE(opted_out_ms.count(phone)) << phone << "'s STOP was not processed";
  EXPECT_GT(stopped_in_time, 0) << "no STOP arrived before its member's text";
  // The database agrees with the provider: every text it accepted is a sent membership.
  EXPECT_EQ(database.scalar("SELECT count(*) FROM campaign_memberships WHERE status = 'sent'"),
            std::to_string(copies.size()));
  EXPECT_EQ(database.scalar("SELECT count(*) FROM campaign_memberships WHERE status = 'sending'"),
            "0");
  std::remove(emulator_log.c_str());
}

}  // namespace
}  // namespace crmd::testing
