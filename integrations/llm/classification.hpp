#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// What the language model says about a reply to a campaign text, as crmd stores it
// (campaign_memberships.status replied_<verdict>, reply_reason). Pure.
namespace crmd::integrations::llm {

enum class verdict { positive, negative, neutral };

// "positive", "negative", "neutral": the wire values and the membership status suffixes.
std::string_view to_string(verdict value);

// The wire value, ignoring ASCII case and surrounding blanks (models capitalise now and then).
std::optional<verdict> parse_verdict(std::string_view text);

// Reasons are shown in the campaign's member list: one short line.
inline constexpr std::size_t max_reason_bytes = 200;

// `text` as one line of at most max_reason_bytes bytes: control characters become spaces, runs of
// blanks collapse, the ends are trimmed, and a cut never splits a UTF-8 sequence. The input is
// expected to be valid UTF-8 (a JSON string is).
std::string clean_reason(std::string_view text);

struct classification {
  verdict what = verdict::neutral;
  std::string reason;  // clean_reason'd; may be empty
};

}  // namespace crmd::integrations::llm
