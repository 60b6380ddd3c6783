#include "tools/openphone-emulator/load.hpp"
#include "tools/openphone-emulator/options.hpp"
#include "tools/openphone-emulator/rss_sampler.hpp"
#include "tools/openphone-emulator/runner.hpp"
#include "tools/openphone-emulator/signer.hpp"

#include "integrations/openphone/signature.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <variant>

namespace crmd::openphone_emulator {
namespace {

namespace openphone = integrations::openphone;

constexpr std::string_view body =
    R"({"id":"EVtest0001","object":"event","type":"message.received"})";
constexpr std::int64_t now_ms = 1700000000000;
constexpr std::int64_t five_minutes = 5 * 60 * 1000;

openphone::verify_code crmd_verdict(const std::optional<std::string>& header) {
  auto keys = openphone::signing_keys::from_base64({std::string(reference_test_key)});
  return openphone::verify(header.value_or(""), body, std::get<openphone::signing_keys>(keys),
                           now_ms, five_minutes)
      .code;
}

TEST(EmulatorSigner, ValidHeaderMatchesTheReferenceVector) {
  signer sign(std::string(reference_test_key), std::chrono::minutes(10));
  EXPECT_EQ(sign.header(signing::valid, body, now_ms),
            "hmac;1;1700000000000;g5a6TFGe7GVN1iKIolpU02ihjiwyWIrucmnfVKvDQFQ=");
  EXPECT_EQ(crmd_verdict(sign.header(signing::valid, body, now_ms)), openphone::verify_code::ok);
}

TEST(EmulatorSigner, EveryBadModeIsRefusedByCrmd) {
  signer sign(std::string(reference_test_key), std::chrono::minutes(10));
  EXPECT_EQ(crmd_verdict(sign.header(signing::wrong_key, body, now_ms)),
            openphone::verify_code::signature_mismatch);
  EXPECT_FALSE(sign.header(signing::missing, body, now_ms));
  EXPECT_EQ(crmd_verdict(sign.header(signing::stale, body, now_ms)),
            openphone::verify_code::stale_timestamp);
  std::set<std::string> garblings;
  for (std::uint64_t variant = 0; variant < garbling_count; ++variant) {
    auto header = sign.header(signing::garbled, body, now_ms, variant);
    ASSERT_TRUE(header);
    garblings.insert(*header);
    EXPECT_NE(crmd_verdict(header), openphone::verify_code::ok) << *header;
  }
  EXPECT_EQ(garblings.size(), garbling_count);
}

TEST(EmulatorSigner, RefusesAKeyThatIsNotBase64) {
  EXPECT_FALSE(signer("not base64!", std::chrono::seconds(1)).usable());
  EXPECT_TRUE(signer(std::string(reference_test_key), std::chrono::seconds(1)).usable());
}

TEST(EmulatorOptions, ParsesFlagsInBothSpellings) {
  auto o = parse_options({"--scenario", "duplicates", "--events=10", "--repeat", "5", "--seed", "7",
                          "--api-version", "v4", "--acked-out", "/tmp/a"});
  EXPECT_EQ(o.scenario, "duplicates");
  EXPECT_EQ(o.events, 10u);
  EXPECT_EQ(o.repeat, 5);
  EXPECT_EQ(o.seed, 7u);
  EXPECT_EQ(o.versions, version_mix::v4);
  EXPECT_EQ(o.acked_out, "/tmp/a");
  EXPECT_EQ(o.concurrency, 64);
  EXPECT_TRUE(parse_options({"--load", "--duration", "3"}).load);
  EXPECT_EQ(parse_options({"--load", "--rate", "5000"}).rate, 5000);
  EXPECT_EQ(parse_options({"--load"}).rate, 0);
  EXPECT_THROW(parse_options({"--load", "--rate", "-1"}), std::invalid_argument);
  EXPECT_THROW(parse_options({"--events", "0"}), std::invalid_argument);
  EXPECT_THROW(parse_options({"--bogus"}), std::invalid_argument);
  EXPECT_THROW(parse_options({"--url"}), std::invalid_argument);
  EXPECT_THROW(parse_options({"--load=yes"}), std::invalid_argument);
}

TEST(EmulatorOptions, KeyComesFromFlagThenCrmdEnvironmentThenReference) {
  EXPECT_EQ(resolve_key(std::string("Zm9v"), "YmFy"), "Zm9v");
  EXPECT_EQ(resolve_key(std::nullopt, " YmFy , Zm9v"), "YmFy");
  EXPECT_EQ(resolve_key(std::nullopt, nullptr), reference_test_key);
}

TEST(EmulatorSender, ParsesHttpUrls) {
  auto e = parse_url("http://127.0.0.1:8080/webhooks/openphone");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, "8080");
  EXPECT_EQ(e->target, "/webhooks/openphone");
  auto bare = parse_url("http://localhost");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->port, "80");
  EXPECT_EQ(bare->target, "/");
  EXPECT_EQ(parse_url("http://[::1]:9/x")->host, "::1");
  EXPECT_FALSE(parse_url("https://example.com/"));
  EXPECT_FALSE(parse_url("http://host:port/"));
}

TEST(EmulatorSender, BackoffDoublesToTwoSecondsWithJitter) {
  retry_policy policy;
  std::mt19937_64 jitter(1);
  for (int i = 0; i < 50; ++i) {
    auto first = policy.delay(1, jitter).count();
    EXPECT_GE(first, 50);
    EXPECT_LE(first, 100);
    auto late = policy.delay(12, jitter).count();
    EXPECT_GE(late, 1000);
    EXPECT_LE(late, 2000);
  }
  EXPECT_LE(policy.delay(3, jitter).count(), 400);
}

TEST(EmulatorRunner, CompactsBodiesToOneLine) {
  EXPECT_EQ(compact_body("{ \"duplicate\" :\n true }"), R"({"duplicate":true})");
  EXPECT_EQ(compact_body("plain\ttext\nhere"), "plain text here");
}

TEST(EmulatorLoad, PercentilesInterpolateLikePercentileCont) {
  std::vector<double> samples{5, 1, 4, 2, 3};
  auto summary = summarize_latency(samples);
  EXPECT_EQ(summary.count, 5u);
  EXPECT_DOUBLE_EQ(summary.p50, 3);
  EXPECT_DOUBLE_EQ(summary.p99, 4.96);
  EXPECT_DOUBLE_EQ(summary.max, 5);
  std::vector<double> none;
  EXPECT_EQ(summarize_latency(none).count, 0u);
}

TEST(EmulatorRss, ReadsVmRss) {
  EXPECT_EQ(parse_vm_rss_kb("Name:\tcrmd\nVmPeak:\t 9 kB\nVmRSS:\t   51234 kB\n"), 51234);
  EXPECT_FALSE(parse_vm_rss_kb("Name:\tcrmd\n"));
  EXPECT_GT(read_vm_rss_kb(static_cast<int>(getpid())).value_or(0), 0);
}

}  // namespace
}  // namespace crmd::openphone_emulator
