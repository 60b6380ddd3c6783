// libFuzzer target for the campaign CSV upload parser.
//
// Input: a CSV file as a user could upload it to POST /api/v1/campaigns/{id}/audience/csv.
// Properties:
//   - parse_csv_audience never crashes and never throws (an escaping exception aborts);
//   - every member has a valid E.164 number ('+', then 8 to 15 digits) and a line inside the
//     file, members and errors come in line order, and each row is either a member or an error;
//   - every kept field is non-empty, trimmed, at most csv_max_field bytes; tags are distinct;
//   - a file-level error (line 0) comes alone and leaves no members;
//   - csv_field quotes exactly what needs it, and reading a line of fields written with csv_line
//     gives the fields back.
#include "domain/campaign/csv_audience.hpp"
#include "domain/campaign/csv_writer.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

namespace campaign = crmd::domain::campaign;

void check(bool holds, const char* property) {
  if (holds)
    return;
  std::fprintf(stderr, "property violated: %s\n", property);
  std::abort();
}

bool e164(const std::string& phone) {
  return phone.size() >= 9 && phone.size() <= 16 && phone[0] == '+' && phone[1] != '0' &&
         std::all_of(phone.begin() + 1, phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void check_field(const std::optional<std::string>& field) {
  if (!field)
    return;
  check(!field->empty(), "a kept field is not empty");
  check(field->size() <= campaign::csv_max_field, "a kept field is short");
  check(field->front() != ' ' && field->back() != ' ', "a kept field is trimmed");
}

std::size_t line_count(std::string_view text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n') +
                                  std::count(text.begin(), text.end(), '\r')) + 1;
}

void check_parse(std::string_view input) {
  auto parsed = campaign::parse_csv_audience(input);
  auto lines = line_count(input);
  std::size_t last = 0;
  for (const auto& member : parsed.members) {
    check(e164(member.phone), "a member's number is E.164");
    check(member.line >= 2 && member.line <= lines, "a member's line is inside the file");
    check(member.line > last, "members come in line order");
    last = member.line;
    for (const auto* field : {&member.first_name, &member.last_name, &member.company,
                              &member.email, &member.street, &member.city, &member.state,
                              &member.postal_code})
      check_field(*field);
    for (std::size_t i = 0; i < member.tags.size(); ++i) {
      check(!member.tags[i].empty(), "tags are not empty");
      for (std::size_t j = i + 1; j < member.tags.size(); ++j)
        check(member.tags[i] != member.tags[j], "tags are distinct");
    }
  }
  last = 0;
  for (const auto& error : parsed.errors) {
    check(!error.reason.empty(), "an error says why");
    check(error.line <= lines, "an error's line is inside the file");
    if (error.line == 0)
      check(parsed.errors.size() == 1 && parsed.members.empty(),
            "a file-level error comes alone");
    check(error.line >= last, "errors come in line order");
    last = error.line;
    for (const auto& member : parsed.members)
      check(member.line != error.line, "a row is a member or an error, not both");
  }
}

// The writer against the reader: a header, then one row whose fields are the input's pieces.
void check_round_trip(std::string_view input) {
  std::string clean;
  for (char c : input)
    if (c != '\r' && c != '\0' && static_cast<unsigned char>(c) >= 0x20 &&
        static_cast<unsigned char>(c) < 0x80)
      clean += c;
  auto cut = clean.size() / 2;
  std::string first = clean.substr(0, std::min<std::size_t>(cut, 400));
  check(campaign::csv_field(first).find_first_of("\r\n") == std::string::npos,
        "a field without line breaks stays on one line");
  auto line = campaign::csv_line({"+15085550100", first});
  auto parsed = campaign::parse_csv_audience("phone,company\n" + line);
  check(parsed.members.size() == 1, "a written row reads back as one member");
  std::string trimmed = first;
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t'))
    trimmed.erase(trimmed.begin());
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t'))
    trimmed.pop_back();
  auto read = parsed.members[0].company.value_or("");
  // The writer defuses formulas with a leading quote, which the reader keeps.
  check(read == trimmed || read == "'" + trimmed, "a written field reads back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check_parse(input);
  check_round_trip(input);
  return 0;
}
