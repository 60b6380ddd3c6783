#include "actors/campaign_decide.hpp"

#include <date/date.h>
#include <gtest/gtest.h>


namespace crmd::campaign_runtime {
namespace {

namespace dc = domain::campaign;
using std::chrono::hours;
using std::chrono::minutes;

// "YYYY-MM-DDTHH:MM:SSZ" (the test's own literals).
std::chrono::sys_seconds at(const std::string& iso) {
  auto n = [&](std::size_t from, std::size_t length) { return std::stoi(iso.substr(from, length)); };
  auto day = date::year{n(0, 4)} / n(5, 2) / n(8, 2);
  return date::sys_days{day} + std::chrono::hours{n(11, 2)} + std::chrono::minutes{n(14, 2)}
         + std::chrono::seconds{n(17, 2)};
}

campaign_settings campaign() {
  campaign_settings s;
  s.id = 7;
  s.status = "running";
  s.template_a = std::get<dc::parsed_template>(dc::parse_template("A {first_name|there}"));
  s.template_b = std::get<dc::parsed_template>(dc::parse_template("B {first_name|there}"));
  s.template_existing = std::get<dc::parsed_template>(dc::parse_template("E again"));
  s.opt_out_line = "Reply STOP to opt out";
  s.window = sending_window(hours{20}, hours{9});
  s.rule = dc::existing_contact_rule::adapt_script;
  return s;
}

member_row member(const std::string& zone) {
  member_row m;
  m.id = 1;
  m.contact_id = 42;
  m.phone = "+16175550100";
  m.time_zone = zone;
  m.values[static_cast<std::size_t>(dc::merge_field::first_name)] = "Ann";
  return m;
}

TEST(CampaignDecide, QuietHoursInvertIntoTheSendingWindow) {
  auto usual = sending_window(hours{20}, hours{9});
  EXPECT_EQ(usual.open, hours{9});
  EXPECT_EQ(usual.close, hours{20});
  // Quiet 01:00-05:00 leaves 05:00-24:00 and 00:00-01:00; the evening piece overlaps the floor.
  auto night = sending_window(hours{1}, hours{5});
  EXPECT_EQ(night.open, hours{5});
  EXPECT_EQ(night.close, hours{24});
  auto none = sending_window(hours{9}, hours{9});
  EXPECT_EQ(none.open, minutes{0});
}

TEST(CampaignDecide, OpenWindowRendersTheVariantWithTheOptOutLineOnFirstContact) {
  auto m = member("America/New_York");
  m.first_contact = true;
  auto d = decide_member(campaign(), m, at("2026-06-01T15:00:00Z"), "America/New_York",
                         dc::hard_floor);
  ASSERT_EQ(d.action, member_action::send);
  EXPECT_TRUE(d.variant == 'A' || d.variant == 'B');
  EXPECT_EQ(d.body, std::string(1, d.variant) + " Ann\nReply STOP to opt out");
  m.first_contact = false;
  EXPECT_EQ(decide_member(campaign(), m, at("2026-06-01T15:00:00Z"), "America/New_York",
                          dc::hard_floor)
              .body,
            std::string(1, d.variant) + " Ann");
}

TEST(CampaignDecide, ExistingCustomersGetTheThirdTemplateUnderAdaptScript) {
  auto m = member("America/New_York");
  m.existing_customer = true;
  auto d = decide_member(campaign(), m, at("2026-06-01T15:00:00Z"), "America/New_York",
                         dc::hard_floor);
  EXPECT_EQ(d.variant, 'E');
  EXPECT_EQ(d.body, "E again");
}

TEST(CampaignDecide, ClosedWindowWaitsUntilLocalNineAcrossDst) {
  // 01:00 EST on the spring-forward day: opens at 09:00 EDT = 13:00Z.
  auto d = decide_member(campaign(), member("America/New_York"), at("2026-03-08T06:00:00Z"),
                         "America/New_York", dc::hard_floor);
  EXPECT_EQ(d.action, member_action::wait);
  EXPECT_EQ(d.next_open, at("2026-03-08T13:00:00Z"));
}

TEST(CampaignDecide, OptedOutAndNumberlessMembersAreSuppressed) {
  auto m = member("America/New_York");
  m.opted_out = true;
  EXPECT_EQ(decide_member(campaign(), m, at("2026-06-01T15:00:00Z"), "America/New_York",
                          dc::hard_floor)
              .action,
            member_action::suppress_opted_out);
  auto n = member("America/New_York");
  n.phone.clear();
  EXPECT_EQ(decide_member(campaign(), n, at("2026-06-01T15:00:00Z"), "America/New_York",
                          dc::hard_floor)
              .action,
            member_action::suppress_no_number);
}

TEST(CampaignDecide, ZoneComesFromTheContactThenTheStateThenTheNumberThenTheDefault) {
  auto m = member("America/Denver");
  m.state = "MA";
  EXPECT_EQ(member_zones(m, "Etc/UTC"), std::vector<std::string>{"America/Denver"});
  m.time_zone = "Not/AZone";
  EXPECT_EQ(member_zones(m, "Etc/UTC"), std::vector<std::string>{"America/New_York"});
  m.state.clear();
  m.phone = "+12065550100";  // Seattle
  EXPECT_EQ(member_zones(m, "Etc/UTC"), std::vector<std::string>{"America/Los_Angeles"});
  m.phone.clear();
  EXPECT_EQ(member_zones(m, "Etc/UTC"), std::vector<std::string>{"Etc/UTC"});
}

TEST(CampaignDecide, AStricterFloorKeepsTheWindowShut) {
  dc::local_window floor{hours{10}, hours{20}};
  // 09:30 in New York: inside the campaign's window, outside the configured floor.
  auto d = decide_member(campaign(), member("America/New_York"), at("2026-06-01T13:30:00Z"),
                         "America/New_York", floor);
  EXPECT_EQ(d.action, member_action::wait);
  EXPECT_EQ(d.next_open, at("2026-06-01T14:00:00Z"));
}

}  // namespace
}  // namespace crmd::campaign_runtime
