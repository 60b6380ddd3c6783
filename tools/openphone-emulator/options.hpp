#pragma once

#include "tools/openphone-emulator/generator.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// The command line (README.md, "Command line").
namespace crmd::openphone_emulator {

// --serve: the REST API over a generated dataset.
struct serve_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // ephemeral
  int threads = 1;
  std::optional<std::string> api_key;  // required
  std::size_t numbers = 3;
  std::size_t users = 5;
  std::size_t contacts = 1000;
  std::size_t conversations = 3000;
  std::size_t messages = 100000;
  std::size_t calls = 20000;
  int rate_limit = 10;  // per second; 0 = unlimited
  double fail_rate = 0;
  double slow_rate = 0;
  int slow_ms = 15000;
  double drop_rate = 0;
  // Share of accepted sends (POST /v1/messages) whose answer is cut off: the text is sent, the
  // client never hears so. Drawn apart from the other injections.
  double send_drop_rate = 0;
  std::string media_base = "https://files.openphone.example";
  // Where accepted sends' message.delivered webhooks go (signed with --key); empty: none.
  std::string webhooks_to;
};

struct options {
  bool help = false;
  bool serve = false;
  bool load = false;
  bool dry_run = false;
  std::string url = "http://127.0.0.1:8080/webhooks/openphone";
  std::optional<std::string> key;
  std::optional<std::uint64_t> seed;
  std::optional<std::int64_t> start_time_ms;
  std::string scenario = "burst";
  std::string scenario_file;
  std::size_t events = 1000;
  int concurrency = 64;
  int repeat = 3;
  version_mix versions = version_mix::mixed;
  int retry_for_s = 120;
  int timeout_ms = 10000;
  int stale_by_s = 600;
  std::string acked_out;
  std::string expect_out;
  int duration_s = 30;
  int rate = 0;  // --load: events/s offered in all; 0 = each connection sends on its answer
  std::string database_url;
  int crmd_pid = 0;
  int settle_s = 30;
  serve_options rest;
};

// Throws std::invalid_argument with a message meant for the user.
options parse_options(const std::vector<std::string>& args);

// --key, else the first of crmd's own CRM_OPENPHONE_WEBHOOK_KEYS (`env_keys`, may be null),
// else the reference's test secret.
std::string resolve_key(const std::optional<std::string>& flag, const char* env_keys);

std::string usage();

}  // namespace crmd::openphone_emulator
