#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// CSV output for the campaign exports (RFC 4180, CRLF line ends). A field that a spreadsheet
// would run as a formula (starting with = + - @, other than a plain signed number) is prefixed
// with ', as OWASP advises for CSV injection: member names and replies come from outside.
namespace crmd::domain::campaign {

std::string csv_field(std::string_view value);

// The fields joined with commas, then CRLF; nullopt is an empty field.
std::string csv_line(const std::vector<std::optional<std::string>>& fields);

}  // namespace crmd::domain::campaign
