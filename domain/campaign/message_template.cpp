#include "domain/campaign/message_template.hpp"

namespace crmd::domain::campaign {

namespace {

constexpr std::array<std::string_view, merge_field_count> field_names = {
  "first_name", "last_name", "company", "street", "city", "state", "postal_code"};

std::string_view trim(std::string_view s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

template_error error_at(template_error_code code, std::size_t offset, std::string field = {}) {
  std::string what;
  switch (code) {
    case template_error_code::unknown_field:
      what = "unknown merge field '" + field + "'";
      break;
    case template_error_code::empty_field:
      what = "empty merge field";
      break;
    case template_error_code::unterminated:
      what = "'{' without a closing '}' (write {{ for a literal brace)";
      break;
    case template_error_code::unmatched_close:
      what = "'}' without an opening '{' (write }} for a literal brace)";
      break;
    case template_error_code::nested_brace:
      what = "'{' inside a merge field";
      break;
  }
  return {code, offset, std::move(field), what + " at " + std::to_string(offset)};
}

void append_literal(std::vector<template_part>& parts, std::string_view text) {
  if (text.empty())
    return;
  if (!parts.empty())
    if (auto* last = std::get_if<template_literal>(&parts.back())) {
      last->text += text;
      return;
    }
  parts.emplace_back(template_literal{std::string(text)});
}

}  // namespace

std::string_view to_string(merge_field field) {
  return field_names[static_cast<std::size_t>(field)];
}

std::optional<merge_field> parse_merge_field(std::string_view name) {
  for (std::size_t i = 0; i < field_names.size(); ++i)
    if (field_names[i] == name)
      return static_cast<merge_field>(i);
  return std::nullopt;
}

std::variant<parsed_template, template_error> parse_template(std::string_view text) {
  parsed_template parsed;
  std::size_t i = 0;
  while (i < text.size()) {
    auto brace = text.find_first_of("{}", i);
    append_literal(parsed.parts, text.substr(i, brace - i));
    if (brace == std::string_view::npos)
      break;
    bool doubled = brace + 1 < text.size() && text[brace + 1] == text[brace];
    if (doubled) {
      append_literal(parsed.parts, text.substr(brace, 1));
      i = brace + 2;
      continue;
    }
    if (text[brace] == '}')
      return error_at(template_error_code::unmatched_close, brace);
    auto close = text.find_first_of("{}", brace + 1);
    if (close == std::string_view::npos)
      return error_at(template_error_code::unterminated, brace);
    if (text[close] == '{')
      return error_at(template_error_code::nested_brace, close);
    auto body = text.substr(brace + 1, close - brace - 1);
    auto bar = body.find('|');
    auto name = trim(body.substr(0, bar));
    if (name.empty())
      return error_at(template_error_code::empty_field, brace);
    auto field = parse_merge_field(name);
    if (!field)
      return error_at(template_error_code::unknown_field, brace, std::string(name));
    auto fallback = bar == std::string_view::npos ? std::string_view{} : body.substr(bar + 1);
    parsed.parts.emplace_back(template_field{*field, std::string(fallback)});
    i = close + 1;
  }
  return parsed;
}

std::string render_template(const parsed_template& parsed, const merge_values& values,
                            const render_options& options) {
  std::string out;
  for (const auto& part : parsed.parts) {
    if (const auto* literal = std::get_if<template_literal>(&part)) {
      out += literal->text;
    } else {
      const auto& field = std::get<template_field>(part);
      auto value = trim(values[static_cast<std::size_t>(field.field)]);
      out += value.empty() ? std::string_view(field.fallback) : value;
    }
  }
  if (options.opt_out_line) {
    if (!out.empty())
      out += '\n';
    out += *options.opt_out_line;
  }
  return out;
}

}  // namespace crmd::domain::campaign
