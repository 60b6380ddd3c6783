#include "domain/campaign/reply_rules.hpp"

#include "domain/campaign/opt_out.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace crmd::domain::campaign {

namespace {

// Whole replies, after normalize(). Non-ASCII bytes pass through it unchanged, so a thumbs-up
// counts only as the whole reply.
constexpr std::array<std::string_view, 23> positive_replies = {
  "yes", "yeah", "yea", "yep", "yup", "sure", "ok", "okay", "interested", "im interested",
  "i am interested", "very interested", "yes please", "call me", "please call me",
  "please call", "give me a call", "sounds good", "yes call me", "absolutely", "definitely",
  "go ahead", "\U0001F44D"};
constexpr std::array<std::string_view, 13> negative_replies = {
  "no", "nope", "nah", "no thanks", "no thank you", "not interested", "no thx",
  "not now", "no interest", "dont text me", "do not text me", "not for me", "pass"};
// Phrases that make a reply negative wherever they appear.
constexpr std::array<std::string_view, 7> negative_phrases = {
  "wrong number", "not interested", "remove me", "stop texting", "dont text", "do not text",
  "do not contact"};

// Lower case, apostrophes (' and a phone's ’) dropped ("don't" -> "dont"), every other run of
// non-alphanumerics one space, trimmed.
std::string normalize(std::string_view body) {
  constexpr std::string_view curly_apostrophe = "\u2019";
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body.substr(i).starts_with(curly_apostrophe)) {
      i += curly_apostrophe.size() - 1;
      continue;
    }
    char c = body[i];
    auto u = static_cast<unsigned char>(c);
    if (c == '\'')
      continue;
    if (std::isalnum(u) || u >= 0x80) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  if (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

bool contains_phrase(std::string_view text, std::string_view phrase) {
  // Whole words only: "dont text" must not match inside "dont texture".
  for (auto at = text.find(phrase); at != std::string_view::npos; at = text.find(phrase, at + 1)) {
    auto end = at + phrase.size();
    if ((at == 0 || text[at - 1] == ' ') && (end == text.size() || text[end] == ' '))
      return true;
  }
  return false;
}

}  // namespace

reply_classification classify_reply(std::string_view body) {
  auto keyword = classify_keyword(body);
  if (keyword.kind == keyword_kind::opt_out)
    return {reply_verdict::negative, "opt-out keyword " + std::string(keyword.keyword)};
  auto text = normalize(body);
  if (std::ranges::find(positive_replies, text) != positive_replies.end())
    return {reply_verdict::positive, "reply is '" + text + "'"};
  if (std::ranges::find(negative_replies, text) != negative_replies.end())
    return {reply_verdict::negative, "reply is '" + text + "'"};
  for (auto phrase : negative_phrases)
    if (contains_phrase(text, phrase))
      return {reply_verdict::negative, "reply contains '" + std::string(phrase) + "'"};
  return {reply_verdict::undecided, {}};
}

}  // namespace crmd::domain::campaign
