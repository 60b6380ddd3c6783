#include "domain/campaign/csv_writer.hpp"

namespace crmd::domain::campaign {

std::string csv_field(std::string_view value) {
  std::string text;
  if (!value.empty() && std::string_view("=+-@").find(value.front()) != std::string_view::npos) {
    // A signed number (-12.5, an E.164 phone number) is data, not a formula.
    bool number = value.size() > 1 && (value.front() == '-' || value.front() == '+') &&
                  value.find_first_not_of("0123456789.", 1) == std::string_view::npos;
    if (!number)
      text += '\'';
  }
  text += value;
  if (text.find_first_of(",\"\r\n") == std::string::npos)
    return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"')
      quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string csv_line(const std::vector<std::optional<std::string>>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0)
      line += ',';
    if (fields[i])
      line += csv_field(*fields[i]);
  }
  line += "\r\n";
  return line;
}

}  // namespace crmd::domain::campaign
