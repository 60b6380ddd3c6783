#include "domain/campaign/csv_audience.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

namespace crmd::domain::campaign {

namespace {

// One record of the file: its fields, the line it starts on, and whether its quoting was broken
// (then the rest of the record up to the next line break is skipped).
struct record {
  std::vector<std::string> fields;
  std::size_t line = 0;
  bool malformed = false;
};

class reader {
 public:
  explicit reader(std::string_view text) : text_(text) {
    // A spreadsheet's UTF-8 byte order mark is not part of the first column's name.
    if (text_.starts_with("\xEF\xBB\xBF"))
      text_.remove_prefix(3);
  }

  bool done() const { return at_ >= text_.size(); }

  record next() {
    record r{.fields = {}, .line = line_};
    std::string field;
    bool quoted = false;
    bool was_quoted = false;
    while (at_ < text_.size()) {
      char c = text_[at_++];
      if (quoted) {
        if (c == '"' && at_ < text_.size() && text_[at_] == '"') {
          field += '"';
          ++at_;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n')
            ++line_;
          field += c;
        }
      } else if (c == '"' && field.empty() && !was_quoted) {
        quoted = was_quoted = true;
      } else if (c == ',') {
        r.fields.push_back(std::move(field));
        field.clear();
        was_quoted = false;
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && at_ < text_.size() && text_[at_] == '\n')
          ++at_;
        ++line_;
        r.fields.push_back(std::move(field));
        return r;
      } else if (was_quoted) {
        r.malformed = true;  // text after a closing quote
        field += c;
      } else {
        field += c;
      }
    }
    if (quoted)
      r.malformed = true;  // the file ended inside quotes
    r.fields.push_back(std::move(field));
    return r;
  }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
  std::size_t line_ = 1;
};

std::string trim(std::string_view text) {
  constexpr std::string_view space = " \t";
  auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos)
    return {};
  return std::string(text.substr(first, text.find_last_not_of(space) - first + 1));
}

std::string lower(std::string text) {
  std::ranges::transform(text, text.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Well-formed UTF-8 without NUL or other control characters but tab: PostgreSQL rejects
// invalid text, and a control character in a name is an export gone wrong.
bool clean_text(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        return false;
      ++i;
      continue;
    }
    std::size_t length = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (length == 0 || i + length > text.size())
      return false;
    for (std::size_t k = 1; k < length; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
        return false;
    i += length;
  }
  return true;
}

enum class column : std::uint8_t {
  phone, first_name, last_name, company, email, street, city, state, postal_code, tags,
};

const std::map<std::string, column>& column_names() {
  static const std::map<std::string, column> names = {
    {"phone", column::phone},       {"first_name", column::first_name},
    {"last_name", column::last_name}, {"company", column::company},
    {"email", column::email},       {"street", column::street},
    {"city", column::city},         {"state", column::state},
    {"postal_code", column::postal_code}, {"tags", column::tags}};
  return names;
}

std::vector<std::string> split_tags(const std::string& text) {
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find_first_of(";,", start);
    auto tag = trim(std::string_view(text).substr(start, end == std::string::npos
                                                          ? std::string::npos
                                                          : end - start));
    if (!tag.empty() && tag.size() <= 100 && std::ranges::find(tags, tag) == tags.end())
      tags.push_back(std::move(tag));
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return tags;
}

bool blank(const record& r) {
  return std::ranges::all_of(r.fields, [](const std::string& f) { return trim(f).empty(); });
}

void set_field(csv_member& member, column which, std::string value) {
  std::optional<std::string> text;
  if (!value.empty())
    text = std::move(value);
  switch (which) {
    case column::first_name: member.first_name = std::move(text); break;
    case column::last_name: member.last_name = std::move(text); break;
    case column::company: member.company = std::move(text); break;
    case column::email: member.email = std::move(text); break;
    case column::street: member.street = std::move(text); break;
    case column::city: member.city = std::move(text); break;
    case column::state: member.state = std::move(text); break;
    case column::postal_code: member.postal_code = std::move(text); break;
    case column::tags: member.tags = split_tags(text.value_or("")); break;
    case column::phone: break;
  }
}

}  // namespace

std::optional<std::string> normalize_phone(std::string_view text, const char* region) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  auto* util = PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util->Parse(std::string(text), region, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
    return std::nullopt;
  if (!util->IsValidNumber(number))
    return std::nullopt;
  std::string e164;
  util->Format(number, PhoneNumberUtil::E164, &e164);
  // libphonenumber calls some over-long numbers valid (a German one with letters read as digits
  // formats to 16 digits); E.164, and the database, allow 15 at most.
  if (e164.size() > 16)
    return std::nullopt;
  return e164;
}

csv_audience parse_csv_audience(std::string_view text) {
  csv_audience out;
  reader in(text);
  while (!in.done()) {
    auto header = in.next();
    if (blank(header))
      continue;
    // Which column holds what; unknown names are skipped.
    std::vector<std::optional<column>> columns;
    bool has_phone = false;
    for (const auto& name : header.fields) {
      auto it = column_names().find(lower(trim(name)));
      columns.push_back(it == column_names().end() ? std::nullopt
                                                   : std::optional<column>(it->second));
      has_phone = has_phone || (it != column_names().end() && it->second == column::phone);
    }
    if (header.malformed || !has_phone) {
      out.errors.push_back({0, "the header row must name a 'phone' column"});
      return out;
    }
    std::size_t rows = 0;
    while (!in.done()) {
      auto r = in.next();
      if (blank(r))
        continue;
      if (++rows > csv_max_rows) {
        out.errors.push_back({r.line, "more than 50000 rows; split the file"});
        return out;
      }
      if (r.malformed) {
        out.errors.push_back({r.line, "malformed quotes"});
        continue;
      }
      csv_member member{.line = r.line};
      std::optional<std::string> problem;
      std::string raw_phone;
      for (std::size_t i = 0; i < r.fields.size() && i < columns.size() && !problem; ++i) {
        if (!columns[i])
          continue;
        auto value = trim(r.fields[i]);
        if (value.size() > csv_max_field)
          problem = "a field is longer than 500 characters";
        else if (!clean_text(value))
          problem = "a field is not UTF-8 text";
        else if (*columns[i] == column::phone)
          raw_phone = value;
        else
          set_field(member, *columns[i], std::move(value));
      }
      if (!problem && raw_phone.empty())
        problem = "no phone number";
      if (!problem) {
        auto phone = normalize_phone(raw_phone);
        if (!phone)
          problem = "'" + raw_phone + "' is not a valid phone number";
        else
          member.phone = std::move(*phone);
      }
      if (problem)
        out.errors.push_back({r.line, std::move(*problem)});
      else
        out.members.push_back(std::move(member));
    }
  }
  if (out.members.empty() && out.errors.empty())
    out.errors.push_back({0, "the file is empty"});
  return out;
}

}  // namespace crmd::domain::campaign
