#include "storage/pg_conninfo.hpp"

#include <gtest/gtest.h>

#include <string>

namespace crmd::storage::detail {
namespace {

std::string value_of(const conninfo_params& params, const std::string& keyword) {
  for (std::size_t i = 0; i < params.keywords.size(); ++i)
    if (params.keywords[i] == keyword)
      return params.values[i];
  return "<unset>";
}

conninfo_params parse_ok(const std::string& conninfo) {
  auto parsed = parse_conninfo(conninfo);
  EXPECT_TRUE(std::holds_alternative<conninfo_params>(parsed)) << std::get<std::string>(parsed);
  return std::holds_alternative<conninfo_params>(parsed) ? std::get<conninfo_params>(parsed)
                                                         : conninfo_params{};
}

TEST(PgConninfo, AsksToResolveASingleHostName) {
  auto params = parse_ok("postgresql://crm:secret@db.internal:6543/crm?sslmode=require");
  EXPECT_EQ(params.resolve_host, "db.internal");
  EXPECT_EQ(params.port, "6543");
  EXPECT_EQ(value_of(params, "user"), "crm");
  EXPECT_EQ(value_of(params, "password"), "secret");
  EXPECT_EQ(value_of(params, "dbname"), "crm");
  EXPECT_EQ(value_of(params, "sslmode"), "require");
}

TEST(PgConninfo, LeavesWhatNeedsNoDnsToLibpq) {
  for (const char* conninfo : {"host=127.0.0.1 dbname=crm", "host=::1", "host=/run/postgresql",
                               "host=a.example,b.example", "host=db.internal hostaddr=10.0.0.5",
                               "dbname=crm"}) {
    SCOPED_TRACE(conninfo);
    EXPECT_EQ(parse_ok(conninfo).resolve_host, "");
  }
}

TEST(PgConninfo, DefaultsThePortForResolving) {
  EXPECT_EQ(parse_ok("host=db.internal").port, "5432");
}

TEST(PgConninfo, ReportsMalformedConninfo) {
  auto parsed = parse_conninfo("not a conninfo");
  ASSERT_TRUE(std::holds_alternative<std::string>(parsed));
  EXPECT_NE(std::get<std::string>(parsed).find("missing \"=\""), std::string::npos);
}

TEST(PgConninfo, SessionSettingsTurnJitOffAndKeepTheGivenOptions) {
  auto plain = parse_ok("postgresql://crm@db.internal/crm");
  add_session_settings(plain);
  EXPECT_EQ(value_of(plain, "options"), "-c jit=off");
  auto given = parse_ok("postgresql://crm@db.internal/crm?options=-c%20statement_timeout%3D5s");
  add_session_settings(given);
  EXPECT_EQ(value_of(given, "options"), "-c statement_timeout=5s -c jit=off");
}

TEST(PgConninfo, PinsEveryResolvedAddress) {
  auto params = parse_ok("host=db.internal port=5433 user=crm");
  pin_addresses(params, {"10.0.0.5", "fd00::5"});
  EXPECT_EQ(value_of(params, "host"), "db.internal,db.internal");
  EXPECT_EQ(value_of(params, "hostaddr"), "10.0.0.5,fd00::5");
  EXPECT_EQ(value_of(params, "port"), "5433");
  EXPECT_EQ(params.resolve_host, "");
}

}  // namespace
}  // namespace crmd::storage::detail
