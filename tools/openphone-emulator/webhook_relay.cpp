#include "tools/openphone-emulator/webhook_relay.hpp"

#include "tools/openphone-emulator/payloads.hpp"
#include "tools/openphone-emulator/world.hpp"

#include <iostream>

namespace crmd::openphone_emulator {

namespace {

constexpr int max_attempts = 5;
constexpr std::chrono::milliseconds exchange_timeout{5000};
// Keeps the relay's event ids apart from the generator's.
constexpr std::uint64_t relay_salt = 0x52454c41;

}  // namespace

webhook_relay::webhook_relay(endpoint target, std::string key_base64,
                             std::chrono::milliseconds delay, std::uint64_t seed)
    : target_(std::move(target)),
      signer_(std::move(key_base64), std::chrono::milliseconds(0)),
      delay_(delay),
      seed_(seed),
      worker_([this] { run(); }) {}

webhook_relay::~webhook_relay() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

void webhook_relay::deliver(const rest::accepted_text& text) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::chrono::steady_clock::now() + delay_, text});
  }
  wake_.notify_all();
}

void webhook_relay::run() {
  http_connection connection(target_, exchange_timeout);
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty())
      return;  // stopping with nothing left
    auto due = queue_.front().due;
    if (!stopping_ && wake_.wait_until(lock, due, [this] { return stopping_; }))
      continue;  // woken to stop: loop once more to send what is due, then leave
    auto next = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    send(next.text, connection);
    lock.lock();
  }
}

void webhook_relay::send(const rest::accepted_text& text, http_connection& connection) {
  message_fact fact{.id = text.id,
                    .direction = "outgoing",
                    .phone_number_id = text.phone_number_id,
                    .our_number = text.from,
                    .sender = text.from,
                    .recipients = text.to,
                    .user_id = text.user_id,
                    .text = text.content,
                    .created_ms = text.created_ms};
  auto event_id = mint_id("EV", seed_ ^ relay_salt, id_kind::event, delivered_++);
  auto body = envelope(event_id, dialect::v4, "message.delivered", now_unix_ms(),
                       message_object(fact, dialect::v4, "delivered"))
                  .dump();
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    auto result = connection.post(body, signer_.header(signing::valid, body, now_unix_ms()));
    if (result.ok())
      return;
    std::cerr << "openphone-emulator: delivery webhook for " << text.id << " failed (attempt "
              << attempt << "): " << (result.error.empty() ? std::to_string(result.status)
                                                           : result.error)
              << std::endl;
    std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
  }
}

}  // namespace crmd::openphone_emulator
