#include "domain/campaign/sms_segments.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace crmd::domain::campaign {

namespace {

constexpr char32_t replacement = 0xFFFD;

// Non-ASCII characters of the GSM 03.38 default alphabet.
constexpr std::array<char32_t, 39> gsm7_basic_non_ascii = {
  0xA1, 0xA3, 0xA4, 0xA5, 0xA7, 0xBF, 0xC4, 0xC5, 0xC6, 0xC7, 0xC9, 0xD1, 0xD6,
  0xD8, 0xDC, 0xDF, 0xE0, 0xE4, 0xE5, 0xE6, 0xE8, 0xE9, 0xEC, 0xF1, 0xF2, 0xF6,
  0xF8, 0xF9, 0xFC, 0x393, 0x394, 0x398, 0x39B, 0x39E, 0x3A0, 0x3A3, 0x3A6, 0x3A8, 0x3A9};
static_assert(std::ranges::is_sorted(gsm7_basic_non_ascii));

// Septets a character takes in GSM-7: 1, 2 for the extension table (escape + code), 0 if it
// has no GSM-7 form.
int gsm7_septets(char32_t c) {
  switch (c) {
    case '\n':
    case '\r':
      return 1;
    case '\f':
    case '^':
    case '{':
    case '}':
    case '\\':
    case '[':
    case '~':
    case ']':
    case '|':
    case 0x20AC:  // €
      return 2;
    case '`':
      return 0;
    default:
      if (c >= 0x20 && c < 0x7F)
        return 1;
      return std::ranges::binary_search(gsm7_basic_non_ascii, c) ? 1 : 0;
  }
}

// Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF); each bad byte becomes U+FFFD.
std::vector<char32_t> decode_utf8(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3
                                 : (lead >> 3) == 0x1E ? 4 : 0;
    char32_t c = length == 1 ? lead : length == 2 ? lead & 0x1F : length == 3 ? lead & 0x0F
                                                                              : lead & 0x07;
    bool valid = length > 0 && i + length <= text.size();
    for (int k = 1; valid && k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      c = (c << 6) | (next & 0x3F);
    }
    constexpr char32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
    valid = valid && c >= minimum[length] && c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF);
    out.push_back(valid ? c : replacement);
    i += valid ? length : 1;
  }
  return out;
}

// Segments of a multipart text: a character's units never straddle two segments.
std::size_t pack(const std::vector<int>& costs, std::size_t total, std::size_t single,
                 std::size_t multipart) {
  if (total == 0)
    return 0;
  if (total <= single)
    return 1;
  std::size_t segments = 1, used = 0;
  for (int cost : costs) {
    if (used + cost > multipart) {
      ++segments;
      used = 0;
    }
    used += cost;
  }
  return segments;
}

}  // namespace

sms_segments count_sms_segments(std::string_view text) {
  auto chars = decode_utf8(text);
  std::vector<int> costs;
  costs.reserve(chars.size());
  bool gsm7 = true;
  for (char32_t c : chars) {
    int septets = gsm7_septets(c);
    gsm7 = gsm7 && septets > 0;
    costs.push_back(septets);
  }
  if (!gsm7)
    std::ranges::transform(chars, costs.begin(), [](char32_t c) { return c > 0xFFFF ? 2 : 1; });
  std::size_t total = 0;
  for (int cost : costs)
    total += cost;
  if (gsm7)
    return {sms_encoding::gsm7, total, pack(costs, total, gsm7_single, gsm7_multipart)};
  return {sms_encoding::ucs2, total, pack(costs, total, ucs2_single, ucs2_multipart)};
}

}  // namespace crmd::domain::campaign
