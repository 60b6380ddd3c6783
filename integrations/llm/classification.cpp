#include "integrations/llm/classification.hpp"

#include <algorithm>

namespace crmd::integrations::llm {

namespace {

bool is_blank_or_control(unsigned char c) {
  return c <= 0x20 || c == 0x7F;
}

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// A UTF-8 continuation byte (10xxxxxx) never starts a character.
bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

}  // namespace

std::string_view to_string(verdict value) {
  switch (value) {
    case verdict::positive:
      return "positive";
    case verdict::negative:
      return "negative";
    case verdict::neutral:
      break;
  }
  return "neutral";
}

std::optional<verdict> parse_verdict(std::string_view text) {
  while (!text.empty() && is_blank_or_control(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && is_blank_or_control(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.size() > 16)
    return std::nullopt;
  std::string lowered;
  for (char c : text)
    lowered += lower_ascii(c);
  for (auto candidate : {verdict::positive, verdict::negative, verdict::neutral})
    if (lowered == to_string(candidate))
      return candidate;
  return std::nullopt;
}

std::string clean_reason(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), max_reason_bytes + 4));
  bool pending_space = false;
  for (char c : text) {
    if (is_blank_or_control(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space)
      out += ' ';
    pending_space = false;
    out += c;
    // Enough read: the cut below needs at most one character beyond the limit.
    if (out.size() > max_reason_bytes + 4)
      break;
  }
  if (out.size() <= max_reason_bytes)
    return out;
  std::size_t cut = max_reason_bytes;
  while (cut > 0 && is_continuation(static_cast<unsigned char>(out[cut])))
    --cut;
  out.resize(cut);
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

}  // namespace crmd::integrations::llm
