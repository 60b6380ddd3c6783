#pragma once

#include <cstdint>
#include <string_view>

// Carrier keywords in an inbound text. Only a body that is the keyword and nothing else counts
// ("stop by tomorrow?" is a customer talking), in any case, with surrounding whitespace and a
// trailing '.' or '!' ignored: erring towards honouring "Stop." is the safe side.
namespace crmd::domain::campaign {

enum class keyword_kind : std::uint8_t { none, opt_out, opt_in, help };

struct keyword_match {
  keyword_kind kind;
  std::string_view keyword;  // canonical upper case ("STOP"), empty for none
};

keyword_match classify_keyword(std::string_view body);

}  // namespace crmd::domain::campaign
