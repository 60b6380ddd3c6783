#pragma once

#include "domain/webhook_event.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Non-throwing, type-checked reads from the JSON objects of a webhook payload. A field that is
// absent or null reads as "not said"; a field of the wrong type records the payload's first
// error, so one malformed value rejects the delivery as invalid_payload instead of throwing.
namespace crmd::integrations::openphone {

std::string_view trim_ascii(std::string_view text);

// `^\+[1-9]\d{1,14}$`, the rule the database checks too.
bool is_e164(std::string_view text);

// `YYYY-MM-DDTHH:MM:SS`, an optional fraction, then `Z` or `±HH:MM`: enough for timestamptz to
// read it unambiguously; the text itself is passed on unchanged.
bool is_iso_timestamp(std::string_view text);

// One `@`, a non-empty local part, a dotted domain, no spaces: tells an e-mail apart from the
// other custom-field values, not a full RFC 5322 check.
bool looks_like_email(std::string_view text);

class field_reader {
 public:
  // `path` names the object in messages ("data.object"); `error` receives the first problem
  // found by any reader sharing it.
  field_reader(const nlohmann::json& object, std::string path, std::string& error);

  // nullptr when absent or null.
  const nlohmann::json* get(std::string_view key) const;
  bool is_null(std::string_view key) const;  // present and explicitly null

  std::optional<std::string> string(std::string_view key);
  std::optional<std::string> required_string(std::string_view key);  // also non-empty
  // An optional reference to another object (userId): an empty string names nothing.
  std::optional<std::string> optional_id(std::string_view key);
  std::optional<std::string> timestamp(std::string_view key);
  std::optional<double> number(std::string_view key);
  const nlohmann::json* array(std::string_view key);
  const nlohmann::json* object(std::string_view key);
  std::optional<std::vector<std::string>> string_array(std::string_view key);
  // An array of strings, one string, or one comma-separated string (v3 group messages); each
  // entry trimmed, empty ones dropped.
  std::vector<std::string> phone_list(std::string_view key);
  // `[{url, type?, duration?}]`; entries whose url is still null (in processing) are skipped.
  std::vector<domain::media_item> media(std::string_view key);

  // A reader for an object found under `key`, sharing this reader's error.
  field_reader nested(const nlohmann::json& object, std::string_view key) const;

  void fail(std::string_view key, std::string_view problem);
  bool failed() const { return !error_.empty(); }
  std::string path(std::string_view key) const;

 private:
  const nlohmann::json& object_;
  std::string path_;
  std::string& error_;
};

}  // namespace crmd::integrations::openphone
