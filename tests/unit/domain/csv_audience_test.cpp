#include "domain/campaign/csv_audience.hpp"
#include "domain/campaign/csv_writer.hpp"

#include <gtest/gtest.h>

namespace crmd::domain::campaign {
namespace {

TEST(CsvAudience, ReadsColumnsInAnyOrderAndCase) {
  auto parsed = parse_csv_audience(
    "First_Name,PHONE,tags,unused\r\n"
    "Maria,(508) 555-0100,roof; basement ;roof,x\r\n"
    "John,+1 508-555-0101,,y\r\n");
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors[0].reason;
  ASSERT_EQ(parsed.members.size(), 2u);
  EXPECT_EQ(parsed.members[0].phone, "+15085550100");
  EXPECT_EQ(parsed.members[0].first_name, "Maria");
  EXPECT_EQ(parsed.members[0].tags, (std::vector<std::string>{"roof", "basement"}));
  EXPECT_EQ(parsed.members[0].line, 2u);
  EXPECT_EQ(parsed.members[1].phone, "+15085550101");
  EXPECT_FALSE(parsed.members[1].last_name);
  EXPECT_TRUE(parsed.members[1].tags.empty());
}

TEST(CsvAudience, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  auto parsed = parse_csv_audience(
    "phone,company,street\n"
    "5085550100,\"Smith, \"\"The Mason\"\"\",\"12 Elm St\nApt 2\"\n"
    "5085550101,Acme,Main\n");
  ASSERT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.members.size(), 2u);
  EXPECT_EQ(parsed.members[0].company, "Smith, \"The Mason\"");
  EXPECT_EQ(parsed.members[0].street, "12 Elm St\nApt 2");
  // The second record starts on line 4: the quoted line break counted.
  EXPECT_EQ(parsed.members[1].line, 4u);
}

TEST(CsvAudience, BadRowsAreReportedWithTheirLineAndSkipped) {
  auto parsed = parse_csv_audience(
    "\xEF\xBB\xBFphone,first_name\n"
    "12345,Short\n"
    ",Nobody\n"
    "\n"
    "5085550100,Good\n"
    "5085550102,\"broken\"quote\n"
    "5085550103,\xC3\x28\n");
  ASSERT_EQ(parsed.members.size(), 1u);
  EXPECT_EQ(parsed.members[0].first_name, "Good");
  ASSERT_EQ(parsed.errors.size(), 4u);
  EXPECT_EQ(parsed.errors[0].line, 2u);
  EXPECT_EQ(parsed.errors[0].reason, "'12345' is not a valid phone number");
  EXPECT_EQ(parsed.errors[1].line, 3u);
  EXPECT_EQ(parsed.errors[1].reason, "no phone number");
  EXPECT_EQ(parsed.errors[2].line, 6u);
  EXPECT_EQ(parsed.errors[2].reason, "malformed quotes");
  EXPECT_EQ(parsed.errors[3].line, 7u);
  EXPECT_EQ(parsed.errors[3].reason, "a field is not UTF-8 text");
}

TEST(CsvAudience, WithoutAPhoneColumnTheFileIsRejected) {
  auto parsed = parse_csv_audience("name,email\nMaria,m@example.com\n");
  EXPECT_TRUE(parsed.members.empty());
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].line, 0u);
  auto empty = parse_csv_audience("");
  ASSERT_EQ(empty.errors.size(), 1u);
  EXPECT_EQ(empty.errors[0].reason, "the file is empty");
}

TEST(CsvAudience, NormalisesNumbersToE164) {
  EXPECT_EQ(normalize_phone("508.555.0199"), "+15085550199");
  EXPECT_EQ(normalize_phone("+44 7911 123456"), "+447911123456");
  EXPECT_FALSE(normalize_phone("555-0100"));
  EXPECT_FALSE(normalize_phone("call me"));
  // Valid to libphonenumber, but 16 digits in E.164 form (found by fuzz_csv_audience).
  EXPECT_FALSE(normalize_phone("+497) 51company8) 515"));
}

TEST(CsvWriter, QuotesWhatNeedsItAndDefusesFormulas) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(csv_field("+15085550100"), "+15085550100");
  EXPECT_EQ(csv_field("+1+1"), "'+1+1");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("-12.5"), "-12.5");
  EXPECT_EQ(csv_line({"a", std::nullopt, "c,d"}), "a,,\"c,d\"\r\n");
}

}  // namespace
}  // namespace crmd::domain::campaign
