#include "domain/contact_search.hpp"

#include <algorithm>
#include <cctype>

namespace crmd::domain {

namespace {

constexpr std::size_t max_query_length = 100;
constexpr std::size_t min_number_digits = 3;

}  // namespace

std::optional<contact_query> make_contact_query(std::string_view text) {
  if (text.size() > max_query_length
      || std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    return std::nullopt;
  auto first = text.find_first_not_of(' ');
  auto last = text.find_last_not_of(' ');
  text = first == std::string_view::npos ? std::string_view{} : text.substr(first, last - first + 1);
  contact_query query;
  for (unsigned char c : text) {
    if (c == '%' || c == '_' || c == '\\')
      query.pattern += '\\';
    query.pattern += static_cast<char>(c);
    if (std::isdigit(c))
      query.digits += static_cast<char>(c);
  }
  if (query.digits.size() < min_number_digits)
    query.digits.clear();
  return query;
}

}  // namespace crmd::domain
