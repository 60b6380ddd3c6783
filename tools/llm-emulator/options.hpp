#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

// The llm-emulator's command line (README.md here).
namespace crmd::llm_emulator {

struct options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: ephemeral; the bound port is printed
  std::string key;         // the bearer key to expect; empty: any Authorization is accepted
  double rate_limit = 0;   // completions per second before 429; 0: unlimited
  double fail_rate = 0;    // share of completions answered 500 or 503
  std::chrono::milliseconds slow{0};  // wait before every answer
  double drop_rate = 0;    // share of completions cut off halfway through the body
  std::uint64_t seed = 1;
  bool help = false;
};

// Throws std::invalid_argument with a message naming the flag.
options parse_options(const std::vector<std::string>& arguments);

std::string usage();

}  // namespace crmd::llm_emulator
