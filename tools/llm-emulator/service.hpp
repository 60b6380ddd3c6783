#pragma once

#include "tools/llm-emulator/options.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// What the emulator answers, without any networking: the session hands each request here and
// carries out the outcome. Thread-safe.
namespace crmd::llm_emulator {

struct request {
  std::string method;
  std::string target;
  std::optional<std::string> authorization;
  std::string body;
};

enum class injection { none, slow, drop };

struct outcome {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  injection injected = injection::none;
};

// The keyword rule, deterministic: "not interested", "wrong number" or the word "no" make a
// reply negative (checked first, so "not interested" is not read as "interested"); "yes",
// "interested", "sure" or "call me" make it positive; anything else is neutral. Whole words
// only, ignoring case. Returns the verdict and a short reason.
std::pair<std::string, std::string> classify_text(std::string_view text);

class chat_service {
 public:
  explicit chat_service(const options& o);

  // `now` is a steady clock reading (rate limiting), `unix_seconds` goes into "created".
  outcome handle(const request& r, std::chrono::steady_clock::time_point now,
                 std::int64_t unix_seconds);

  // In-flight bookkeeping for /_emulator/requests: the session reports when a completion's
  // answer starts and ends.
  void started();
  void finished();

 private:
  outcome completion(const request& r, std::chrono::steady_clock::time_point now,
                     std::int64_t unix_seconds);
  std::optional<outcome> rate_limited(std::chrono::steady_clock::time_point now);
  outcome stats() const;

  options options_;
  mutable std::mutex mutex_;
  std::mt19937_64 random_;
  std::deque<std::chrono::steady_clock::time_point> window_;  // accepted in the last second
  std::uint64_t count_ = 0;
  std::map<int, std::uint64_t> by_status_;
  std::uint64_t in_flight_ = 0, max_in_flight_ = 0;
};

}  // namespace crmd::llm_emulator
