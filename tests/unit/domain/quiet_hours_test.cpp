#include "domain/campaign/quiet_hours.hpp"

#include <date/date.h>
#include <gtest/gtest.h>

#include <vector>

namespace crmd::domain::campaign {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_seconds;

sys_seconds utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}} + std::chrono::hours{h} +
         std::chrono::minutes{min};
}

constexpr local_window nine_to_eight{9h, 20h};

TEST(QuietHours, CampaignWindowIsClampedInsideTheHardFloor) {
  auto w = effective_window({6h, 23h});
  EXPECT_EQ(w.open, 8h);
  EXPECT_EQ(w.close, 21h);
  w = effective_window({6h, 23h}, {9h, 19h});  // a stricter configured floor wins
  EXPECT_EQ(w.open, 9h);
  EXPECT_EQ(w.close, 19h);
  w = effective_window({6h, 23h}, {5h, 23h});  // a looser one does not
  EXPECT_EQ(w.open, 8h);
  EXPECT_EQ(w.close, 21h);
}

TEST(QuietHours, OpenInsideTheLocalWindow) {
  auto now = utc(2024, 6, 3, 14);  // 10:00 EDT
  auto d = check_send_window(now, "America/New_York", nine_to_eight);
  EXPECT_EQ(d.state, window_state::open);
  EXPECT_EQ(d.next_open, now);
}

TEST(QuietHours, BeforeTheOpeningWaitsForItToday) {
  auto d = check_send_window(utc(2024, 6, 3, 11), "America/New_York", nine_to_eight);  // 07:00
  EXPECT_EQ(d.state, window_state::closed);
  EXPECT_EQ(d.next_open, utc(2024, 6, 3, 13));
}

TEST(QuietHours, CloseIsExclusiveAndWaitsForTomorrow) {
  auto d = check_send_window(utc(2024, 6, 4, 0), "America/New_York", nine_to_eight);  // 20:00
  EXPECT_EQ(d.state, window_state::closed);
  EXPECT_EQ(d.next_open, utc(2024, 6, 4, 13));
  EXPECT_EQ(check_send_window(utc(2024, 6, 3, 23, 59), "America/New_York", nine_to_eight).state,
            window_state::open);
}

TEST(QuietHours, WindowOutsideTheFloorNeverSendsAtSevenInTheMorning) {
  auto d = check_send_window(utc(2024, 6, 3, 11, 30), "America/New_York", {6h, 22h});  // 07:30
  EXPECT_EQ(d.state, window_state::closed);
  EXPECT_EQ(d.next_open, utc(2024, 6, 3, 12));  // 08:00 EDT
}

TEST(QuietHours, SpringForwardMovesTheOpeningAnHourEarlierInUtc) {
  // 2024-03-10: 02:00 EST jumps to 03:00 EDT.
  auto before = check_send_window(utc(2024, 3, 9, 7), "America/New_York", nine_to_eight);
  EXPECT_EQ(before.next_open, utc(2024, 3, 9, 14));  // 09:00 EST
  auto in_gap_night = check_send_window(utc(2024, 3, 10, 6, 30), "America/New_York",
                                        nine_to_eight);  // 01:30 EST, just before the gap
  EXPECT_EQ(in_gap_night.state, window_state::closed);
  EXPECT_EQ(in_gap_night.next_open, utc(2024, 3, 10, 13));  // 09:00 EDT
  EXPECT_EQ(check_send_window(utc(2024, 3, 10, 12, 59), "America/New_York", nine_to_eight).state,
            window_state::closed);
  EXPECT_EQ(check_send_window(utc(2024, 3, 10, 13), "America/New_York", nine_to_eight).state,
            window_state::open);
}

TEST(QuietHours, FallBackOverlapResolvesBothRepeatedHoursToTheSameOpening) {
  // 2024-11-03: 01:00–02:00 happens twice (EDT, then EST).
  auto first = check_send_window(utc(2024, 11, 3, 5, 30), "America/New_York", nine_to_eight);
  auto second = check_send_window(utc(2024, 11, 3, 6, 30), "America/New_York", nine_to_eight);
  EXPECT_EQ(first.state, window_state::closed);
  EXPECT_EQ(second.state, window_state::closed);
  EXPECT_EQ(first.next_open, utc(2024, 11, 3, 14));  // 09:00 EST
  EXPECT_EQ(second.next_open, utc(2024, 11, 3, 14));
  // The evening before still closes at 20:00 EDT.
  EXPECT_EQ(check_send_window(utc(2024, 11, 3, 0), "America/New_York", nine_to_eight).state,
            window_state::closed);
}

struct us_zone_case {
  const char* zone;
  int summer_open_utc;  // hour of 08:00 local on 2024-07-01
  int winter_open_utc;  // hour of 08:00 local on 2024-01-15
};

class QuietHoursUsZones : public testing::TestWithParam<us_zone_case> {};

TEST_P(QuietHoursUsZones, FloorOpensAtEightLocalInSummerAndWinter) {
  const auto& c = GetParam();
  for (auto [day, hour] : {std::pair{utc(2024, 7, 1, 0), c.summer_open_utc},
                           std::pair{utc(2024, 1, 15, 0), c.winter_open_utc}}) {
    auto opening = day + std::chrono::hours{hour};
    auto d = check_send_window(day + 10h, c.zone, hard_floor);  // before 08:00 in every US zone
    EXPECT_EQ(d.state, window_state::closed) << c.zone;
    EXPECT_EQ(d.next_open, opening) << c.zone;
    EXPECT_EQ(check_send_window(opening - 1s, c.zone, hard_floor).state, window_state::closed);
    EXPECT_EQ(check_send_window(opening, c.zone, hard_floor).state, window_state::open);
    // 13 hours later it is 21:00 local: closed again.
    EXPECT_EQ(check_send_window(opening + 13h - 1s, c.zone, hard_floor).state, window_state::open);
    EXPECT_EQ(check_send_window(opening + 13h, c.zone, hard_floor).state, window_state::closed);
  }
}

INSTANTIATE_TEST_SUITE_P(EveryUsZone, QuietHoursUsZones,
                         testing::Values(us_zone_case{"America/New_York", 12, 13},
                                         us_zone_case{"America/Chicago", 13, 14},
                                         us_zone_case{"America/Denver", 14, 15},
                                         us_zone_case{"America/Phoenix", 15, 15},
                                         us_zone_case{"America/Los_Angeles", 15, 16},
                                         us_zone_case{"America/Anchorage", 16, 17},
                                         us_zone_case{"Pacific/Honolulu", 18, 18},
                                         us_zone_case{"America/Puerto_Rico", 12, 12}));

TEST(QuietHours, OpeningInSkippedLocalTimeMovesToTheNextRealOpening) {
  // Pacific/Apia skipped 2011-12-30 entirely (UTC-10 -> UTC+14 at 10:00 UTC). At 22:00 on the
  // 29th the next 09:00 that exists is on the 31st, 19:00 UTC on the 30th.
  auto d = check_send_window(utc(2011, 12, 30, 8), "Pacific/Apia", nine_to_eight);
  EXPECT_EQ(d.state, window_state::closed);
  EXPECT_EQ(d.next_open, utc(2011, 12, 30, 19));
}

TEST(QuietHours, UnknownZonesNeverSend) {
  for (auto zone : {"Mars/Olympus_Mons", "", "America/New York", "../etc/localtime", "EDT"})
    EXPECT_EQ(check_send_window(utc(2024, 6, 3, 14), zone, nine_to_eight).state,
              window_state::unknown_zone)
      << zone;
  EXPECT_EQ(check_send_window(utc(2024, 6, 3, 14), std::vector<std::string>{}, nine_to_eight).state,
            window_state::unknown_zone);
}

TEST(QuietHours, EmptyWindowNeverSends) {
  EXPECT_EQ(check_send_window(utc(2024, 6, 3, 14), "America/New_York", {20h, 9h}).state,
            window_state::empty_window);
}

TEST(QuietHours, AmbiguousPrefixNeedsTheWindowOpenInEveryZone) {
  std::vector<std::string> arizona{"America/Phoenix", "America/Denver"};
  // Summer: Phoenix (UTC-7) opens at 15:00 UTC, Denver (UTC-6) closes at 03:00 UTC.
  auto d = check_send_window(utc(2024, 7, 1, 14, 30), arizona, hard_floor);
  EXPECT_EQ(d.state, window_state::closed);
  EXPECT_EQ(d.next_open, utc(2024, 7, 1, 15));
  d = check_send_window(utc(2024, 7, 2, 3, 30), arizona, hard_floor);  // 20:30 in Phoenix
  EXPECT_EQ(d.state, window_state::closed);
  EXPECT_EQ(d.next_open, utc(2024, 7, 2, 15));
  EXPECT_EQ(check_send_window(utc(2024, 7, 2, 2, 59), arizona, hard_floor).state,
            window_state::open);
}

TEST(QuietHours, ZonesThatNeverShareTheWindowNeverSend) {
  std::vector<std::string> coasts{"America/New_York", "America/Los_Angeles"};
  EXPECT_EQ(check_send_window(utc(2024, 6, 3, 14), coasts, {9h, 10h}).state,
            window_state::empty_window);
}

}  // namespace
}  // namespace crmd::domain::campaign
