#include "domain/campaign/audience_filter.hpp"

#include <gtest/gtest.h>

namespace crmd::domain::campaign {
namespace {

using nlohmann::json;

json ok(const json& filter) {
  auto result = validate_audience(filter);
  if (auto* error = std::get_if<audience_error>(&result)) {
    ADD_FAILURE() << error->field << ": " << error->message;
    return {};
  }
  return std::get<json>(result);
}

audience_error failed(const json& filter) {
  auto result = validate_audience(filter);
  if (auto* error = std::get_if<audience_error>(&result))
    return *error;
  ADD_FAILURE() << "accepted " << filter.dump();
  return {};
}

TEST(AudienceFilter, NormalisesEveryCriterion) {
  auto out = ok({{"tags", {" roof ", "basement", "roof"}},
                 {"sources", {"import_csv"}},
                 {"last_contacted_before", "2026-03-01T09:30:00-05:00"},
                 {"last_contacted_after", "2025-01-01"},
                 {"never_contacted", false},
                 {"has_open_quote", true},
                 {"all_contacts", nullptr}});
  EXPECT_EQ(out, json({{"tags", {"roof", "basement"}},
                       {"sources", {"import_csv"}},
                       {"last_contacted_before", "2026-03-01T14:30:00.000Z"},
                       {"last_contacted_after", "2025-01-01T00:00:00.000Z"},
                       {"has_open_quote", true}}));
}

TEST(AudienceFilter, EmptyListsAndFalseFlagsAreNoCriterion) {
  EXPECT_EQ(ok({{"tags", json::array()}, {"never_contacted", false}}), json::object());
  EXPECT_EQ(ok(json::object()), json::object());
}

TEST(AudienceFilter, RejectsWhatTheSqlCouldNotRead) {
  EXPECT_EQ(failed(json::array()).field, "audience");
  EXPECT_EQ(failed({{"tag", {"roof"}}}).field, "audience.tag");
  EXPECT_EQ(failed({{"tags", "roof"}}).field, "audience.tags");
  EXPECT_EQ(failed({{"tags", {1}}}).field, "audience.tags");
  EXPECT_EQ(failed({{"tags", {""}}}).field, "audience.tags");
  EXPECT_EQ(failed({{"sources", {"flask"}}}).message, "unknown contact source 'flask'");
  EXPECT_EQ(failed({{"last_contacted_before", "yesterday"}}).field,
            "audience.last_contacted_before");
  EXPECT_EQ(failed({{"last_contacted_after", "2026-13-01"}}).field,
            "audience.last_contacted_after");
  EXPECT_EQ(failed({{"never_contacted", "yes"}}).field, "audience.never_contacted");
  json many = json::array();
  for (int i = 0; i < 51; ++i)
    many.push_back("t" + std::to_string(i));
  EXPECT_EQ(failed({{"tags", many}}).field, "audience.tags");
}

TEST(AudienceFilter, ParsesIsoTimes) {
  using namespace std::chrono;
  auto t = parse_iso_time("2026-03-08T07:00:00.250Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_iso_time(*t), "2026-03-08T07:00:00.250Z");
  EXPECT_EQ(format_iso_time(*parse_iso_time("2026-03-08T07:00:00.5+05:30")),
            "2026-03-08T01:30:00.500Z");
  EXPECT_EQ(format_iso_time(*parse_iso_time("2024-02-29")), "2024-02-29T00:00:00.000Z");
  EXPECT_FALSE(parse_iso_time("2026-02-30"));
  EXPECT_FALSE(parse_iso_time("2026-03-08T24:00:00Z"));
  EXPECT_FALSE(parse_iso_time("2026-03-08T07:00Z"));  // seconds required
  EXPECT_FALSE(parse_iso_time("2026-03-08T07:00:00.Z"));
  EXPECT_FALSE(parse_iso_time("2026-03-08T07:00:00+05"));
  EXPECT_FALSE(parse_iso_time("2026-03-08T07:00:00Zjunk"));
  EXPECT_FALSE(parse_iso_time("2026-03-08T07:00:00"));  // no zone
  EXPECT_FALSE(parse_iso_time("2026-03-08 07:00"));
  EXPECT_FALSE(parse_iso_time(""));
}

}  // namespace
}  // namespace crmd::domain::campaign
