#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The `openphone-signature` header for a delivery, good or deliberately bad. Signing itself is
// integrations/openphone/signature's `sign`, the code crmd's own tests trust.
namespace crmd::openphone_emulator {

enum class signing {
  valid,      // the configured key, the current time
  wrong_key,  // a well-formed header made with another key
  garbled,    // a header crmd cannot read (or a tampered digest)
  missing,    // no header at all
  stale,      // the right key, but a timestamp outside crmd's replay window
};

std::string_view to_string(signing mode);
std::optional<signing> signing_from(std::string_view text);

// The reference's test secret (openphone-api.md §7); the default when none is configured.
inline constexpr std::string_view reference_test_key =
    "ZW11bGF0b3ItdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2Q=";
// base64("emulator-wrong-key-0123456789abcd"): valid, so the header parses but never matches.
inline constexpr std::string_view wrong_test_key = "ZW11bGF0b3Itd3Jvbmcta2V5LTAxMjM0NTY3ODlhYmNk";

// How many different garblings `signer::header` cycles through.
inline constexpr std::uint64_t garbling_count = 6;

class signer {
 public:
  signer(std::string key_base64, std::chrono::milliseconds stale_by);

  // Whether the configured key can sign at all (it must be standard base64).
  bool usable() const;

  // The header value for `body` signed at `now_ms` in `mode`; nullopt means "send no header".
  // `variant` picks one of the garblings, so a run covers them all.
  std::optional<std::string> header(signing mode, std::string_view body, std::int64_t now_ms,
                                    std::uint64_t variant = 0) const;

 private:
  std::string key_;
  std::chrono::milliseconds stale_by_;
};

}  // namespace crmd::openphone_emulator
