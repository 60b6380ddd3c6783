// libFuzzer target for the `openphone-signature` header and the HMAC check behind it.
//
// Input: `<header value>\n<signing key bytes>\n<raw body>` (missing parts are empty).
// Properties:
//   - parsing and verifying arbitrary headers never crashes, and a non-blank header that does
//     not parse always verifies as malformed_signature;
//   - round trip: for any non-empty key and any body, verify(sign(body, key, ts), body, {key},
//     ts, tolerance) == ok; one byte more in the body is a mismatch, and one millisecond past
//     the tolerance is stale;
//   - base64: whatever decodes re-encodes to the same text, and encode/decode is lossless.
#include "integrations/openphone/base64.hpp"
#include "integrations/openphone/signature.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

namespace {

namespace op = crmd::integrations::openphone;

constexpr std::int64_t tolerance_ms = 5 * 60 * 1000;

void check(bool holds, const char* property) {
  if (holds)
    return;
  std::fprintf(stderr, "property violated: %s\n", property);
  std::abort();
}

std::string_view next_line(std::string_view& input) {
  auto end = input.find('\n');
  std::string_view line = input.substr(0, end);
  input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
  return line;
}

// A timestamp that varies with the input but stays inside what the header can carry.
std::int64_t timestamp_for(std::string_view key) {
  std::uint64_t hash = 1469598103934665603ull;
  for (char c : key)
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return static_cast<std::int64_t>(hash % 1'000'000'000'000'000ull);
}

op::signing_keys keys_for(const std::string& secret) {
  auto keys = op::signing_keys::from_base64({secret});
  check(std::holds_alternative<op::signing_keys>(keys), "an encoded key is a valid secret");
  return std::get<op::signing_keys>(keys);
}

void check_base64(std::string_view text) {
  if (auto decoded = op::base64_decode(text))
    check(op::base64_encode(*decoded) == text, "decoded base64 re-encodes to the same text");
  auto again = op::base64_decode(op::base64_encode(text));
  check(again && *again == text, "base64 encode/decode is lossless");
}

void check_arbitrary_header(std::string_view header, std::string_view key, std::string_view body) {
  auto parsed = op::parse_signature_header(header);
  check(parsed.error != op::header_error::none || !parsed.entries.empty(),
        "a parsed header has entries");
  check(parsed.entries.size() <= op::max_signature_entries, "entries are bounded");
  for (const auto& entry : parsed.entries)
    check(!entry.timestamp.empty() && entry.timestamp.size() <= op::max_timestamp_digits &&
              entry.timestamp_ms >= 0,
          "timestamps are bounded and non-negative");

  op::signing_keys keys;
  if (!key.empty())
    keys = keys_for(op::base64_encode(key));
  auto result = op::verify(header, body, keys, 1'700'000'000'000, tolerance_ms);
  if (result.code == op::verify_code::malformed_signature)
    check(result.detail != op::header_error::none, "malformed names a reason");
  if (parsed.error != op::header_error::none && result.code != op::verify_code::missing_signature)
    check(result.code == op::verify_code::malformed_signature, "unparsable is malformed");
}

void check_round_trip(std::string_view key, std::string_view body) {
  if (key.empty())
    return;
  std::string secret = op::base64_encode(key);
  std::int64_t ts = timestamp_for(key);
  auto header = op::sign(body, secret, ts);
  check(header.has_value(), "a valid secret always signs");
  auto keys = keys_for(secret);
  check(op::verify(*header, body, keys, ts, tolerance_ms).ok(), "sign then verify is ok");
  std::string longer(body);
  longer += 'x';
  check(op::verify(*header, longer, keys, ts, tolerance_ms).code ==
            op::verify_code::signature_mismatch,
        "a changed body is a mismatch");
  check(op::verify(*header, body, keys, ts + tolerance_ms + 1, tolerance_ms).code ==
            op::verify_code::stale_timestamp,
        "a genuine old signature is stale");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view header = next_line(input);
  std::string_view key = next_line(input);
  std::string_view body = input;
  check_arbitrary_header(header, key, body);
  check_round_trip(key, body);
  check_base64(header);
  return 0;
}
