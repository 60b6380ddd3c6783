#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// Campaign message templates. Syntax (the Flask app's `{first_name}`, plus a fallback):
//   {field}           the contact's value
//   {field|fallback}  the fallback when the value is missing or blank ("Hi {first_name|there}")
//   {{ and }}         a literal { and }
// Field names are the fixed list below; spaces around a name are allowed, the fallback is taken
// verbatim and may not contain { or }. An unknown field is rejected when the template is saved,
// so a send never meets one.
namespace crmd::domain::campaign {

enum class merge_field : std::uint8_t {
  first_name, last_name, company, street, city, state, postal_code,
};
inline constexpr std::size_t merge_field_count = 7;

std::string_view to_string(merge_field field);
std::optional<merge_field> parse_merge_field(std::string_view name);

struct template_literal {
  std::string text;
};
struct template_field {
  merge_field field;
  std::string fallback;
};
using template_part = std::variant<template_literal, template_field>;

struct parsed_template {
  std::vector<template_part> parts;  // adjacent literals merged
};

enum class template_error_code : std::uint8_t {
  unknown_field,    // {frist_name}
  empty_field,      // {} or {|x}
  unterminated,     // { without a closing }
  unmatched_close,  // a lone }
  nested_brace,     // { inside a field
};

struct template_error {
  template_error_code code;
  std::size_t offset;   // byte offset of the offending brace in the template
  std::string field;    // the unknown name, for unknown_field
  std::string message;  // for the editor: "unknown merge field 'frist_name' at 3"
};

std::variant<parsed_template, template_error> parse_template(std::string_view text);

// A contact's values, indexed by merge_field; empty means missing.
using merge_values = std::array<std::string, merge_field_count>;

struct render_options {
  // Appended on a new line when the text is a first contact and the campaign asks for it.
  std::optional<std::string_view> opt_out_line;
};

inline constexpr std::string_view default_opt_out_line = "Reply STOP to opt out";

std::string render_template(const parsed_template& parsed, const merge_values& values,
                            const render_options& options = {});

}  // namespace crmd::domain::campaign
