#include "integrations/openphone/signature.hpp"

#include "integrations/openphone/base64.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <memory>

namespace crmd::integrations::openphone {

namespace {

constexpr std::size_t digest_size = 32;  // SHA-256
using digest_bytes = std::array<unsigned char, digest_size>;

std::string_view trim(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && space(text.back()))
    text.remove_suffix(1);
  return text;
}

// Splits at most `limit` pieces; the last one keeps any further separators, so a caller that
// asks for one more piece than it accepts can tell "too many" without splitting everything.
std::vector<std::string_view> split(std::string_view text, char separator, std::size_t limit) {
  std::vector<std::string_view> pieces;
  while (pieces.size() + 1 < limit) {
    auto at = text.find(separator);
    if (at == std::string_view::npos)
      break;
    pieces.push_back(text.substr(0, at));
    text.remove_prefix(at + 1);
  }
  pieces.push_back(text);
  return pieces;
}

std::optional<std::int64_t> parse_timestamp(std::string_view digits) {
  if (digits.empty() || digits.size() > max_timestamp_digits)
    return std::nullopt;
  std::int64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9')
      return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

struct mac_deleter {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

// Fetched once: the provider lookup is the expensive part of a MAC context.
const EVP_MAC* hmac_algorithm() {
  static const std::unique_ptr<EVP_MAC, mac_deleter> mac{EVP_MAC_fetch(nullptr, "HMAC", nullptr)};
  return mac.get();
}

// HMAC-SHA256(key, timestamp + "." + body) without copying the body next to the timestamp.
std::optional<digest_bytes> hmac_sha256(std::string_view key, std::string_view timestamp,
                                        std::string_view body) {
  const EVP_MAC* mac = hmac_algorithm();
  if (mac == nullptr || key.empty())
    return std::nullopt;
  std::unique_ptr<EVP_MAC_CTX, mac_deleter> ctx{EVP_MAC_CTX_new(const_cast<EVP_MAC*>(mac))};
  if (!ctx)
    return std::nullopt;
  char digest_name[] = "SHA256";
  std::array<OSSL_PARAM, 2> params{
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end()};
  auto bytes = [](std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
  };
  digest_bytes out{};
  std::size_t out_size = 0;
  bool done = EVP_MAC_init(ctx.get(), bytes(key), key.size(), params.data()) == 1 &&
              EVP_MAC_update(ctx.get(), bytes(timestamp), timestamp.size()) == 1 &&
              EVP_MAC_update(ctx.get(), bytes("."), 1) == 1 &&
              EVP_MAC_update(ctx.get(), bytes(body), body.size()) == 1 &&
              EVP_MAC_final(ctx.get(), out.data(), &out_size, out.size()) == 1;
  if (!done || out_size != digest_size)
    return std::nullopt;
  return out;
}

bool within(std::int64_t now_ms, std::int64_t timestamp_ms, std::int64_t tolerance_ms) {
  if (tolerance_ms < 0)
    return false;
  // Unsigned subtraction yields the exact distance for any two int64 values, without overflow.
  auto now = static_cast<std::uint64_t>(now_ms);
  auto then = static_cast<std::uint64_t>(timestamp_ms);
  std::uint64_t distance = now_ms >= timestamp_ms ? now - then : then - now;
  return distance <= static_cast<std::uint64_t>(tolerance_ms);
}

}  // namespace

std::string_view to_string(header_error error) {
  switch (error) {
    case header_error::none: return "none";
    case header_error::empty: return "empty";
    case header_error::too_long: return "too_long";
    case header_error::too_many_entries: return "too_many_entries";
    case header_error::empty_entry: return "empty_entry";
    case header_error::wrong_field_count: return "wrong_field_count";
    case header_error::bad_timestamp: return "bad_timestamp";
    case header_error::bad_digest: return "bad_digest";
    case header_error::no_supported_entry: return "no_supported_entry";
  }
  return "unknown";
}

std::string_view to_string(verify_code code) {
  switch (code) {
    case verify_code::ok: return "ok";
    case verify_code::missing_signature: return "missing_signature";
    case verify_code::malformed_signature: return "malformed_signature";
    case verify_code::stale_timestamp: return "stale_timestamp";
    case verify_code::signature_mismatch: return "signature_mismatch";
  }
  return "unknown";
}

parsed_signature_header parse_signature_header(std::string_view header_value) {
  parsed_signature_header result;
  auto fail = [&result](header_error error) {
    result.entries.clear();
    result.error = error;
    return result;
  };
  if (header_value.size() > max_signature_header_bytes)
    return fail(header_error::too_long);
  header_value = trim(header_value);
  if (header_value.empty())
    return fail(header_error::empty);
  auto entries = split(header_value, ',', max_signature_entries + 1);
  if (entries.size() > max_signature_entries)
    return fail(header_error::too_many_entries);
  for (std::string_view entry : entries) {
    entry = trim(entry);
    if (entry.empty())
      return fail(header_error::empty_entry);
    auto fields = split(entry, ';', 5);
    if (fields.size() < 2 || fields[0] != "hmac" || fields[1] != "1")
      continue;
    if (fields.size() != 4)
      return fail(header_error::wrong_field_count);
    auto timestamp_ms = parse_timestamp(fields[2]);
    if (!timestamp_ms)
      return fail(header_error::bad_timestamp);
    auto digest = fields[3].empty() ? std::nullopt : base64_decode(fields[3]);
    if (!digest)
      return fail(header_error::bad_digest);
    result.entries.push_back({std::string(fields[2]), *timestamp_ms, std::move(*digest)});
  }
  if (result.entries.empty())
    return fail(header_error::no_supported_entry);
  return result;
}

std::variant<signing_keys, invalid_secret> signing_keys::from_base64(
    const std::vector<std::string>& secrets) {
  signing_keys keys;
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    if (secrets[i].empty())
      return invalid_secret{i, "signing secret is empty"};
    auto decoded = base64_decode(secrets[i]);
    if (!decoded)
      return invalid_secret{i, "signing secret is not valid standard base64"};
    keys.keys_.push_back(std::move(*decoded));
  }
  return keys;
}

verify_result verify(std::string_view header_value, std::string_view raw_body,
                     const signing_keys& keys, std::int64_t now_ms, std::int64_t tolerance_ms) {
  if (trim(header_value).empty())
    return {verify_code::missing_signature};
  auto parsed = parse_signature_header(header_value);
  if (parsed.error != header_error::none)
    return {verify_code::malformed_signature, parsed.error};
  bool genuine_but_stale = false;
  for (const auto& entry : parsed.entries) {
    for (const auto& key : keys.keys_) {
      auto expected = hmac_sha256(key, entry.timestamp, raw_body);
      if (!expected || entry.digest.size() != expected->size() ||
          CRYPTO_memcmp(entry.digest.data(), expected->data(), expected->size()) != 0)
        continue;
      if (within(now_ms, entry.timestamp_ms, tolerance_ms))
        return {verify_code::ok};
      genuine_but_stale = true;
    }
  }
  return {genuine_but_stale ? verify_code::stale_timestamp : verify_code::signature_mismatch};
}

std::optional<std::string> sign(std::string_view raw_body, std::string_view secret_base64,
                                std::int64_t timestamp_ms) {
  auto key = secret_base64.empty() ? std::nullopt : base64_decode(secret_base64);
  if (!key || key->empty() || timestamp_ms < 0)
    return std::nullopt;
  std::string timestamp = std::to_string(timestamp_ms);
  if (timestamp.size() > max_timestamp_digits)
    return std::nullopt;
  auto digest = hmac_sha256(*key, timestamp, raw_body);
  if (!digest)
    return std::nullopt;
  std::string_view digest_view(reinterpret_cast<const char*>(digest->data()), digest->size());
  return "hmac;1;" + timestamp + ";" + base64_encode(digest_view);
}

}  // namespace crmd::integrations::openphone
