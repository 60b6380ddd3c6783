#include "domain/campaign/opt_out.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace crmd::domain::campaign {

namespace {

struct keyword {
  std::string_view word;
  keyword_kind kind;
};

constexpr std::array<keyword, 11> keywords = {{
  {"STOP", keyword_kind::opt_out},
  {"STOPALL", keyword_kind::opt_out},
  {"UNSUBSCRIBE", keyword_kind::opt_out},
  {"CANCEL", keyword_kind::opt_out},
  {"END", keyword_kind::opt_out},
  {"QUIT", keyword_kind::opt_out},
  {"REVOKE", keyword_kind::opt_out},
  {"OPTOUT", keyword_kind::opt_out},
  {"START", keyword_kind::opt_in},
  {"UNSTOP", keyword_kind::opt_in},
  {"HELP", keyword_kind::help},
}};

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

keyword_match classify_keyword(std::string_view body) {
  while (!body.empty() && is_space(body.front()))
    body.remove_prefix(1);
  while (!body.empty() && (is_space(body.back()) || body.back() == '.' || body.back() == '!'))
    body.remove_suffix(1);
  for (const auto& k : keywords)
    if (std::ranges::equal(body, k.word, [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) == b;
        }))
      return {k.kind, k.word};
  return {keyword_kind::none, {}};
}

}  // namespace crmd::domain::campaign
