#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The legacy `openphone-signature` header (openphone-api.md §7): comma-separated entries of
// `hmac;1;<unix ms>;<base64 HMAC-SHA256(key, "<ms>." + raw body)>`. Pure: no I/O, no clock, no
// exceptions; every failure is a stable code that becomes a log field and a metric label.
namespace crmd::integrations::openphone {

// Bounds that keep the work a hostile header can cause small (HMACs run per entry and key).
inline constexpr std::size_t max_signature_header_bytes = 4096;
inline constexpr std::size_t max_signature_entries = 8;
// 13 digits until the year 2286; 15 leaves room without any risk of int64 overflow.
inline constexpr std::size_t max_timestamp_digits = 15;

enum class header_error : std::uint8_t {
  none,
  empty,
  too_long,
  too_many_entries,
  empty_entry,
  wrong_field_count,
  bad_timestamp,
  bad_digest,
  // Only entries of other schemes or versions: nothing this code knows how to check.
  no_supported_entry,
};

std::string_view to_string(header_error error);

struct signature_entry {
  std::string timestamp;  // the digits exactly as sent: they are part of the signed bytes
  std::int64_t timestamp_ms = 0;
  std::string digest;  // decoded bytes; any length, a wrong one simply never matches
};

struct parsed_signature_header {
  std::vector<signature_entry> entries;  // the `hmac;1` entries, in header order
  header_error error = header_error::none;
};

// Entries of another scheme or version are skipped rather than rejected: the header is a list
// precisely so a future version can be sent next to this one.
parsed_signature_header parse_signature_header(std::string_view header_value);

enum class verify_code : std::uint8_t {
  ok,
  missing_signature,
  malformed_signature,
  stale_timestamp,  // authentic, but outside the tolerance: a replay or a skewed clock
  signature_mismatch,
};

std::string_view to_string(verify_code code);

struct verify_result {
  verify_code code = verify_code::signature_mismatch;
  header_error detail = header_error::none;  // why, for malformed_signature
  bool ok() const { return code == verify_code::ok; }
};

// A secret that cannot be used; names its position, never its value.
struct invalid_secret {
  std::size_t index = 0;
  std::string reason;
};

// The webhook signing secrets in force, decoded once. Several during a rotation: a delivery is
// accepted when any of its entries matches any key.
class signing_keys {
 public:
  signing_keys() = default;

  // Each secret as OpenPhone shows it (standard base64). Fails on the first one that is empty
  // or not valid base64, so configuration can refuse to start.
  static std::variant<signing_keys, invalid_secret> from_base64(
      const std::vector<std::string>& secrets);

  std::size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }

 private:
  friend verify_result verify(std::string_view, std::string_view, const signing_keys&, std::int64_t,
                              std::int64_t);

  std::vector<std::string> keys_;
};

// An empty or whitespace-only header value counts as missing_signature. Staleness is
// |now_ms - timestamp| > tolerance_ms, and is only reported for an entry whose HMAC matches,
// so stale_timestamp always means "genuine but old" and a forgery always reads as a mismatch.
verify_result verify(std::string_view header_value, std::string_view raw_body,
                     const signing_keys& keys, std::int64_t now_ms, std::int64_t tolerance_ms);

// The header value OpenPhone would send for `raw_body` at `timestamp_ms`, for the emulator and
// tests. nullopt when the secret is not valid base64 (or empty) or the timestamp is negative or
// longer than max_timestamp_digits.
std::optional<std::string> sign(std::string_view raw_body, std::string_view secret_base64,
                                std::int64_t timestamp_ms);

}  // namespace crmd::integrations::openphone
