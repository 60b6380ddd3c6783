#include "tools/openphone-emulator/signer.hpp"

#include "integrations/openphone/signature.hpp"

#include <array>

namespace crmd::openphone_emulator {

namespace {

namespace openphone = integrations::openphone;

constexpr std::array<std::pair<signing, std::string_view>, 5> signing_names{{
    {signing::valid, "valid"},
    {signing::wrong_key, "wrong-key"},
    {signing::garbled, "garbled"},
    {signing::missing, "missing"},
    {signing::stale, "stale"},
}};

// `hmac;1;<ts>;<digest>` split into the part before the digest and the digest.
std::pair<std::string, std::string> split_digest(const std::string& header) {
  auto at = header.rfind(';');
  return {header.substr(0, at + 1), header.substr(at + 1)};
}

// Each variant breaks the header in a way crmd's parser reports differently
// (integrations/openphone/signature.hpp: mismatch, wrong_field_count, bad_digest,
// no_supported_entry, bad_timestamp).
std::string garble(const std::string& good, std::int64_t now_ms, std::uint64_t variant) {
  auto [head, digest] = split_digest(good);
  std::string ts = std::to_string(now_ms);
  switch (variant % garbling_count) {
    case 0:
      // Still valid base64 of the right length: only the HMAC comparison can catch it.
      digest[0] = digest[0] == 'A' ? 'B' : 'A';
      return head + digest;
    case 1: return "hmac;1;" + ts;
    case 2: return "hmac;1;" + ts + ";%%not-base64%%";
    case 3: return "sha256=" + std::string(64, 'a');
    case 4: return "hmac;1;soon;" + digest;
    default: return "hmac;2;" + ts + ";" + digest;
  }
}

}  // namespace

std::string_view to_string(signing mode) {
  for (const auto& [value, name] : signing_names)
    if (value == mode)
      return name;
  return "valid";
}

std::optional<signing> signing_from(std::string_view text) {
  for (const auto& [value, name] : signing_names)
    if (name == text)
      return value;
  return std::nullopt;
}

signer::signer(std::string key_base64, std::chrono::milliseconds stale_by)
    : key_(std::move(key_base64)), stale_by_(stale_by) {}

bool signer::usable() const {
  return openphone::sign("", key_, 0).has_value();
}

std::optional<std::string> signer::header(signing mode, std::string_view body, std::int64_t now_ms,
                                          std::uint64_t variant) const {
  switch (mode) {
    case signing::valid: return openphone::sign(body, key_, now_ms);
    case signing::wrong_key: return openphone::sign(body, wrong_test_key, now_ms);
    case signing::missing: return std::nullopt;
    case signing::stale: return openphone::sign(body, key_, now_ms - stale_by_.count());
    case signing::garbled: {
      auto good = openphone::sign(body, key_, now_ms);
      if (!good)
        return std::nullopt;
      return garble(*good, now_ms, variant);
    }
  }
  return std::nullopt;
}

}  // namespace crmd::openphone_emulator
