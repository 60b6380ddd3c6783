#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crmd::domain {

// A contact search as the contacts query takes it.
struct contact_query {
  std::string pattern;  // trimmed, LIKE wildcards escaped (the query lower-cases it); empty matches everyone
  std::string digits;   // the text's digits when it has at least three (a number search), else empty
};

// nullopt when the text is longer than 100 characters or holds control characters.
std::optional<contact_query> make_contact_query(std::string_view text);

}  // namespace crmd::domain
