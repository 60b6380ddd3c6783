#include "domain/campaign/sms_segments.hpp"

#include <gtest/gtest.h>

#include <string>

namespace crmd::domain::campaign {
namespace {

TEST(SmsSegments, PlainTextIsGsm7UpTo160InOneSegment) {
  auto s = count_sms_segments(std::string(160, 'a'));
  EXPECT_EQ(s.encoding, sms_encoding::gsm7);
  EXPECT_EQ(s.units, 160u);
  EXPECT_EQ(s.segments, 1u);
  s = count_sms_segments(std::string(161, 'a'));
  EXPECT_EQ(s.segments, 2u);
  EXPECT_EQ(count_sms_segments(std::string(306, 'a')).segments, 2u);  // 2 x 153
  EXPECT_EQ(count_sms_segments(std::string(307, 'a')).segments, 3u);
}

TEST(SmsSegments, EmptyTextHasNoSegments) {
  auto s = count_sms_segments("");
  EXPECT_EQ(s.units, 0u);
  EXPECT_EQ(s.segments, 0u);
}

TEST(SmsSegments, Gsm7AccentsAndGreekStayGsm7) {
  auto s = count_sms_segments("Café £5 @ Ñoño ¿Qué? ΔΩ è à ü\n");
  EXPECT_EQ(s.encoding, sms_encoding::gsm7);
  EXPECT_EQ(s.units, 30u);
}

TEST(SmsSegments, ExtensionCharactersCountDouble) {
  auto s = count_sms_segments("{€}");
  EXPECT_EQ(s.encoding, sms_encoding::gsm7);
  EXPECT_EQ(s.units, 6u);
  // 159 plain + one € = 161 septets: two segments.
  EXPECT_EQ(count_sms_segments(std::string(158, 'a') + "^").segments, 1u);
  EXPECT_EQ(count_sms_segments(std::string(159, 'a') + "€").segments, 2u);
}

TEST(SmsSegments, EscapePairIsNeverSplitAcrossSegments) {
  // 152 plain + '[' would straddle the 153-septet boundary: it moves to segment two, and
  // 152 + 2 + 152 = 306 septets need three segments instead of two.
  auto text = std::string(152, 'a') + "[" + std::string(152, 'a');
  auto s = count_sms_segments(text);
  EXPECT_EQ(s.units, 306u);
  EXPECT_EQ(s.segments, 3u);
}

TEST(SmsSegments, OneNonGsmCharacterSwitchesTheWholeTextToUcs2) {
  auto s = count_sms_segments(std::string(69, 'a') + "ç");  // ç is not GSM-7 (Ç is)
  EXPECT_EQ(s.encoding, sms_encoding::ucs2);
  EXPECT_EQ(s.units, 70u);
  EXPECT_EQ(s.segments, 1u);
  EXPECT_EQ(count_sms_segments(std::string(70, 'a') + "\xE2\x80\x99").segments, 2u);  // ’
  EXPECT_EQ(count_sms_segments("`").encoding, sms_encoding::ucs2);
  EXPECT_EQ(count_sms_segments(std::string(134, 'a') + "😀").segments, 3u);  // 136 > 2 x 67
}

TEST(SmsSegments, EmojiTakeTwoUtf16Units) {
  auto s = count_sms_segments("Hi 👋");
  EXPECT_EQ(s.encoding, sms_encoding::ucs2);
  EXPECT_EQ(s.units, 5u);
  EXPECT_EQ(count_sms_segments(std::string(68, 'a') + "😀").segments, 1u);  // 70 units
  EXPECT_EQ(count_sms_segments(std::string(69, 'a') + "😀").segments, 2u);  // 71 units
}

TEST(SmsSegments, SurrogatePairIsNeverSplitAcrossSegments) {
  // 66 units + emoji at the 67-unit boundary: the pair moves on, 66 | 2 + 65 | 2.
  auto s = count_sms_segments(std::string(66, 'a') + "😀" + std::string(67, 'a'));
  EXPECT_EQ(s.units, 135u);
  EXPECT_EQ(s.segments, 3u);
}

TEST(SmsSegments, InvalidUtf8CountsAsReplacementCharacters) {
  auto s = count_sms_segments("ab\xFF\xC0\x80");  // a stray byte and an overlong NUL
  EXPECT_EQ(s.encoding, sms_encoding::ucs2);
  EXPECT_EQ(s.units, 5u);
  EXPECT_EQ(count_sms_segments("\xE2\x82").units, 2u);  // truncated €
}

}  // namespace
}  // namespace crmd::domain::campaign
