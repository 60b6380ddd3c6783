// libFuzzer target for the campaign message template parser.
//
// Input: a template as an owner could type it in the campaign builder.
// Properties:
//   - parse_template never crashes and never throws (an escaping exception aborts);
//   - an error points at a brace inside the input, says why, and names the field when it is an
//     unknown one;
//   - a parsed template has no two adjacent literals and no empty literal;
//   - rendering with every value missing gives the literals and fallbacks in order, and with
//     every value set to "x" replaces each field with exactly "x";
//   - the opt-out line, when asked for, ends the rendered text.
#include "domain/campaign/message_template.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

namespace {

namespace campaign = crmd::domain::campaign;

void check(bool holds, const char* property) {
  if (holds)
    return;
  std::fprintf(stderr, "property violated: %s\n", property);
  std::abort();
}

void check_error(const campaign::template_error& error, std::string_view input) {
  check(error.offset < input.size(), "the error offset is inside the input");
  check(input[error.offset] == '{' || input[error.offset] == '}', "the error points at a brace");
  check(!error.message.empty(), "an error says why");
  check((error.code == campaign::template_error_code::unknown_field) == !error.field.empty(),
        "exactly an unknown field names the field");
}

void check_parsed(const campaign::parsed_template& parsed) {
  std::string missing, filled;
  bool previous_literal = false;
  for (const auto& part : parsed.parts) {
    if (const auto* literal = std::get_if<campaign::template_literal>(&part)) {
      check(!literal->text.empty(), "no empty literal");
      check(!previous_literal, "adjacent literals are merged");
      missing += literal->text;
      filled += literal->text;
      previous_literal = true;
    } else {
      missing += std::get<campaign::template_field>(part).fallback;
      filled += "x";
      previous_literal = false;
    }
  }
  check(campaign::render_template(parsed, {}) == missing, "missing values render fallbacks");
  campaign::merge_values values;
  values.fill("x");
  check(campaign::render_template(parsed, values) == filled, "set values replace their fields");
  auto with_line = campaign::render_template(
    parsed, values, {.opt_out_line = campaign::default_opt_out_line});
  check(with_line.ends_with(campaign::default_opt_out_line), "the opt-out line ends the text");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = campaign::parse_template(input);
  if (const auto* error = std::get_if<campaign::template_error>(&parsed))
    check_error(*error, input);
  else
    check_parsed(std::get<campaign::parsed_template>(parsed));
  return 0;
}
