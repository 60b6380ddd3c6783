#include "observability/log.hpp"

#include <gtest/gtest.h>

namespace crmd::log {
namespace {

TEST(Log, LineIsOneJsonObjectWithTheStandardFields) {
  auto line = format_line(level::warn, "http", "slow request", {{"request_id", "abc"}},
                          1'700'000'000'123'456);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["time"], "2023-11-14T22:13:20.123456Z");
  EXPECT_EQ(parsed["level"], "warn");
  EXPECT_EQ(parsed["component"], "http");
  EXPECT_EQ(parsed["message"], "slow request");
  EXPECT_EQ(parsed["request_id"], "abc");
}

TEST(Log, FieldsCannotOverrideStandardKeys) {
  auto parsed = nlohmann::json::parse(
    format_line(level::info, "db", "m", {{"level", "debug"}, {"component", "x"}}, 0));
  EXPECT_EQ(parsed["level"], "info");
  EXPECT_EQ(parsed["component"], "db");
}

TEST(Log, InvalidUtf8IsReplacedNotThrown) {
  std::string bad = "caf\xC3";
  EXPECT_NO_THROW(format_line(level::info, "c", bad, {{"field", bad}}, 0));
}

TEST(Log, LevelFiltering) {
  set_level(level::warn);
  EXPECT_FALSE(enabled(level::info));
  EXPECT_TRUE(enabled(level::error));
  set_level(level::info);
  EXPECT_TRUE(enabled(level::info));
  EXPECT_FALSE(enabled(level::debug));
}

TEST(Log, ParsesLevels) {
  EXPECT_EQ(parse_level("debug"), level::debug);
  EXPECT_EQ(parse_level("error"), level::error);
  EXPECT_FALSE(parse_level("verbose").has_value());
}

}  // namespace
}  // namespace crmd::log
