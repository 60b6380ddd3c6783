#pragma once

#include "tools/openphone-emulator/rest_send.hpp"
#include "tools/openphone-emulator/sender.hpp"
#include "tools/openphone-emulator/signer.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

// Plays OpenPhone's side after a send: a moment after POST /v1/messages accepted a text, a signed
// v4 `message.delivered` webhook for it goes to crmd, as OpenPhone does for API-created webhooks.
namespace crmd::openphone_emulator {

class webhook_relay {
 public:
  webhook_relay(endpoint target, std::string key_base64, std::chrono::milliseconds delay,
                std::uint64_t seed);
  // Stops after the deliveries already due.
  ~webhook_relay();
  webhook_relay(const webhook_relay&) = delete;
  webhook_relay& operator=(const webhook_relay&) = delete;

  // Thread-safe; returns at once.
  void deliver(const rest::accepted_text& text);

 private:
  struct pending {
    std::chrono::steady_clock::time_point due;
    rest::accepted_text text;
  };

  void run();
  void send(const rest::accepted_text& text, http_connection& connection);

  endpoint target_;
  signer signer_;
  std::chrono::milliseconds delay_;
  std::uint64_t seed_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<pending> queue_;
  std::uint64_t delivered_ = 0;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace crmd::openphone_emulator
