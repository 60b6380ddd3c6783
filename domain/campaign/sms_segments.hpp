#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

// How many SMS segments a rendered text costs, as carriers bill it. One character outside the
// GSM-7 alphabet (an emoji, a curly quote) switches the whole text to UCS-2 and cuts a segment from
// 160 to 70 characters, which the template editor must show.
namespace crmd::domain::campaign {

enum class sms_encoding : std::uint8_t { gsm7, ucs2 };

struct sms_segments {
  sms_encoding encoding;
  // GSM-7 septets (an extension character such as € or { takes two: escape + code) or UTF-16
  // code units (a character outside the BMP, most emoji, takes two).
  std::size_t units;
  std::size_t segments;  // 0 for an empty text
};

inline constexpr std::size_t gsm7_single = 160, gsm7_multipart = 153;
inline constexpr std::size_t ucs2_single = 70, ucs2_multipart = 67;

// `text` is UTF-8; an invalid byte counts as one UCS-2 unit (U+FFFD), since that is what a
// provider would send in its place.
sms_segments count_sms_segments(std::string_view text);

}  // namespace crmd::domain::campaign
