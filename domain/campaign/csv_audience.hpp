#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Campaign members from a spreadsheet export (POST /api/v1/campaigns/{id}/audience/csv). RFC 4180
// CSV: a header row, then one member per row; quoted fields may hold commas, doubled quotes and
// line breaks. Columns (any order, any case; unknown ones are ignored): phone (required),
// first_name, last_name, company, email, street, city, state, postal_code, tags (separated by
// ';' or ','). A bad row is reported with its line and skipped; the others are kept.
namespace crmd::domain::campaign {

struct csv_member {
  std::size_t line = 0;  // where the row starts (the header is line 1)
  std::string phone;     // E.164
  std::optional<std::string> first_name, last_name, company, email, street, city, state,
    postal_code;  // trimmed; nullopt when empty or absent
  std::vector<std::string> tags;
};

struct csv_row_error {
  std::size_t line = 0;  // 0: the file as a whole (no header, no phone column)
  std::string reason;
};

struct csv_audience {
  std::vector<csv_member> members;
  std::vector<csv_row_error> errors;
};

inline constexpr std::size_t csv_max_rows = 50000;
inline constexpr std::size_t csv_max_field = 500;

csv_audience parse_csv_audience(std::string_view text);

// A number as people type it ("(508) 555-0100", "+1 508-555-0100", "508.555.0100") in E.164, with
// libphonenumber; numbers without a country code are read as `region`'s. nullopt when it is not
// a valid number.
std::optional<std::string> normalize_phone(std::string_view text, const char* region = "US");

}  // namespace crmd::domain::campaign
