#include "integrations/openphone/base64.hpp"
#include "integrations/openphone/signature.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace crmd::integrations::openphone {
namespace {

// The reference's test vector (openphone-api.md §7), checked there with openssl.
constexpr std::string_view vector_secret = "ZW11bGF0b3ItdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2Q=";
constexpr std::string_view vector_body =
    R"({"id":"EVtest0001","object":"event","type":"message.received"})";
constexpr std::int64_t vector_ms = 1700000000000;
constexpr std::string_view vector_header =
    "hmac;1;1700000000000;g5a6TFGe7GVN1iKIolpU02ihjiwyWIrucmnfVKvDQFQ=";
constexpr std::int64_t five_minutes = 5 * 60 * 1000;

signing_keys keys_of(std::vector<std::string> secrets) {
  auto keys = signing_keys::from_base64(secrets);
  if (auto* invalid = std::get_if<invalid_secret>(&keys)) {
    ADD_FAILURE() << "secret " << invalid->index << ": " << invalid->reason;
    return {};
  }
  return std::get<signing_keys>(keys);
}

verify_code verify_vector(std::string_view header, std::int64_t now = vector_ms) {
  return verify(header, vector_body, keys_of({std::string(vector_secret)}), now, five_minutes).code;
}

TEST(Base64, RoundTripsEveryTailLength) {
  std::string bytes;
  for (int i = 0; i < 10; ++i) {
    auto decoded = base64_decode(base64_encode(bytes));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, bytes);
    bytes += static_cast<char>(0xf0 + i);
  }
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
}

TEST(Base64, RejectsAnythingAnEncoderWouldNotWrite) {
  for (std::string_view text :
       {"Zm8", "Zm8=Zm8=", "Z===", "====", "Zm9=", "Zm+/\n", "Zm 8=", "Zm-_", "Zm8h=="})
    EXPECT_FALSE(base64_decode(text)) << text;
  EXPECT_EQ(base64_decode(""), std::string());
}

TEST(OpenPhoneSignature, SignsTheReferenceVector) {
  EXPECT_EQ(sign(vector_body, vector_secret, vector_ms), std::string(vector_header));
}

TEST(OpenPhoneSignature, VerifiesTheReferenceVector) {
  EXPECT_EQ(verify_vector(vector_header), verify_code::ok);
  EXPECT_EQ(verify_vector(vector_header, vector_ms + five_minutes), verify_code::ok);
  EXPECT_EQ(verify_vector(vector_header, vector_ms - five_minutes), verify_code::ok);
}

TEST(OpenPhoneSignature, OneChangedBodyByteIsAMismatch) {
  auto keys = keys_of({std::string(vector_secret)});
  std::string body(vector_body);
  body.back() = ' ';
  EXPECT_EQ(verify(vector_header, body, keys, vector_ms, five_minutes).code,
            verify_code::signature_mismatch);
  // Re-serialised JSON (a space after a colon) is a different body: only raw bytes verify.
  EXPECT_EQ(
      verify(vector_header, R"({"id": "EVtest0001","object":"event","type":"message.received"})",
             keys, vector_ms, five_minutes)
          .code,
      verify_code::signature_mismatch);
}

TEST(OpenPhoneSignature, GenuineButOldIsStaleAndForgedOldIsAMismatch) {
  EXPECT_EQ(verify_vector(vector_header, vector_ms + five_minutes + 1),
            verify_code::stale_timestamp);
  EXPECT_EQ(verify_vector(vector_header, vector_ms - five_minutes - 1),
            verify_code::stale_timestamp);
  EXPECT_EQ(verify_vector("hmac;1;1600000000000;g5a6TFGe7GVN1iKIolpU02ihjiwyWIrucmnfVKvDQFQ="),
            verify_code::signature_mismatch);
}

TEST(OpenPhoneSignature, MissingHeaderIsNotMalformed) {
  EXPECT_EQ(verify_vector(""), verify_code::missing_signature);
  EXPECT_EQ(verify_vector("  \t "), verify_code::missing_signature);
}

TEST(OpenPhoneSignature, MalformedHeadersNameWhy) {
  struct row {
    std::string header;
    header_error error;
  };
  const std::string digest = "g5a6TFGe7GVN1iKIolpU02ihjiwyWIrucmnfVKvDQFQ=";
  std::vector<row> rows{
      {"hmac;1;1700000000000", header_error::wrong_field_count},
      {"hmac;1;1700000000000;" + digest + ";extra", header_error::wrong_field_count},
      {"hmac;1;17000000000x0;" + digest, header_error::bad_timestamp},
      {"hmac;1;;" + digest, header_error::bad_timestamp},
      {"hmac;1;-1700000000000;" + digest, header_error::bad_timestamp},
      {"hmac;1;1234567890123456;" + digest, header_error::bad_timestamp},
      {"hmac;1;1700000000000;", header_error::bad_digest},
      {"hmac;1;1700000000000;g5a6TFGe7GVN1iKIolpU02ihjiwyWIrucmnfVKvDQFQ",
       header_error::bad_digest},
      {"hmac;1;1700000000000;" + digest + ",", header_error::empty_entry},
      {"sha256=abcdef", header_error::no_supported_entry},
      {"hmac;2;1700000000000;" + digest, header_error::no_supported_entry},
      {"HMAC;1;1700000000000;" + digest, header_error::no_supported_entry},
      {std::string(max_signature_header_bytes + 1, 'a'), header_error::too_long},
  };
  std::string many;
  for (std::size_t i = 0; i <= max_signature_entries; ++i)
    many += (i ? "," : "") + std::string(vector_header);
  rows.push_back({many, header_error::too_many_entries});
  for (const auto& [header, error] : rows) {
    auto result =
        verify(header, vector_body, keys_of({std::string(vector_secret)}), vector_ms, five_minutes);
    EXPECT_EQ(result.code, verify_code::malformed_signature) << header;
    EXPECT_EQ(to_string(result.detail), to_string(error)) << header;
  }
}

TEST(OpenPhoneSignature, AnyEntryMayMatchAndOtherVersionsAreSkipped) {
  std::string wrong = "hmac;1;1700000000000;" + base64_encode(std::string(32, 'x'));
  EXPECT_EQ(verify_vector(wrong + "," + std::string(vector_header)), verify_code::ok);
  EXPECT_EQ(verify_vector(std::string(vector_header) + " , hmac;2;1;abc"), verify_code::ok);
  EXPECT_EQ(verify_vector(wrong), verify_code::signature_mismatch);
}

TEST(OpenPhoneSignature, ShortDigestIsAMismatchNotACrash) {
  EXPECT_EQ(verify_vector("hmac;1;1700000000000;Zm8="), verify_code::signature_mismatch);
  EXPECT_EQ(verify_vector("hmac;1;1700000000000;" + base64_encode(std::string(64, 'x'))),
            verify_code::signature_mismatch);
}

TEST(OpenPhoneSignature, AnyKeyOfARotationVerifies) {
  std::string old_secret = base64_encode("previous-signing-key-0123456789");
  auto both = keys_of({old_secret, std::string(vector_secret)});
  EXPECT_EQ(both.size(), 2u);
  EXPECT_TRUE(verify(vector_header, vector_body, both, vector_ms, five_minutes).ok());
  auto header = sign(vector_body, old_secret, vector_ms);
  ASSERT_TRUE(header);
  EXPECT_TRUE(verify(*header, vector_body, both, vector_ms, five_minutes).ok());
  EXPECT_EQ(
      verify(*header, vector_body, keys_of({std::string(vector_secret)}), vector_ms, five_minutes)
          .code,
      verify_code::signature_mismatch);
  EXPECT_EQ(verify(vector_header, vector_body, signing_keys{}, vector_ms, five_minutes).code,
            verify_code::signature_mismatch);
}

TEST(OpenPhoneSignature, InvalidSecretIsNamedByPosition) {
  auto keys = signing_keys::from_base64({std::string(vector_secret), "not base64!", ""});
  auto* invalid = std::get_if<invalid_secret>(&keys);
  ASSERT_NE(invalid, nullptr);
  EXPECT_EQ(invalid->index, 1u);
  EXPECT_EQ(invalid->reason.find("not base64!"), std::string::npos);
  auto empty = signing_keys::from_base64({""});
  ASSERT_TRUE(std::holds_alternative<invalid_secret>(empty));
  EXPECT_EQ(std::get<invalid_secret>(empty).index, 0u);
}

TEST(OpenPhoneSignature, SignRefusesWhatCouldNotVerify) {
  EXPECT_FALSE(sign(vector_body, "not base64!", vector_ms));
  EXPECT_FALSE(sign(vector_body, "", vector_ms));
  EXPECT_FALSE(sign(vector_body, vector_secret, -1));
  EXPECT_FALSE(sign(vector_body, vector_secret, 1'000'000'000'000'000));
}

TEST(OpenPhoneSignature, NegativeToleranceAcceptsNothing) {
  auto keys = keys_of({std::string(vector_secret)});
  EXPECT_EQ(verify(vector_header, vector_body, keys, vector_ms, -1).code,
            verify_code::stale_timestamp);
  EXPECT_EQ(verify(vector_header, vector_body, keys, INT64_MIN, five_minutes).code,
            verify_code::stale_timestamp);
}

TEST(OpenPhoneSignature, CodesHaveStableNames) {
  EXPECT_EQ(to_string(verify_code::ok), "ok");
  EXPECT_EQ(to_string(verify_code::missing_signature), "missing_signature");
  EXPECT_EQ(to_string(verify_code::malformed_signature), "malformed_signature");
  EXPECT_EQ(to_string(verify_code::stale_timestamp), "stale_timestamp");
  EXPECT_EQ(to_string(verify_code::signature_mismatch), "signature_mismatch");
}

}  // namespace
}  // namespace crmd::integrations::openphone
