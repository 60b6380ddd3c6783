#include "integrations/http/connection_pool.hpp"

namespace crmd::http {

connection_pool::connection_pool(std::size_t max_idle_per_origin,
                                 std::chrono::milliseconds idle_timeout)
    : max_idle_(max_idle_per_origin), idle_timeout_(idle_timeout) {}

std::unique_ptr<connection> connection_pool::take(const origin& where) {
  auto it = idle_.find(where.key());
  if (it == idle_.end())
    return nullptr;
  auto& entries = it->second;
  auto now = std::chrono::steady_clock::now();
  while (!entries.empty()) {
    idle_entry entry = std::move(entries.back());
    entries.pop_back();
    // Servers close idle keep-alive connections after a while; one idle longer than our own
    // timeout is more likely closed than not, and a closed one would fail the request.
    if (now - entry.since <= idle_timeout_ && entry.conn->quiet())
      return std::move(entry.conn);
    entry.conn->close();
  }
  return nullptr;
}

void connection_pool::put(const origin& where, std::unique_ptr<connection> idle) {
  auto& entries = idle_[where.key()];
  if (entries.size() >= max_idle_) {
    idle->close();
    return;
  }
  entries.push_back({std::move(idle), std::chrono::steady_clock::now()});
}

void connection_pool::clear() {
  for (auto& [key, entries] : idle_)
    for (auto& entry : entries)
      entry.conn->close();
  idle_.clear();
}

}  // namespace crmd::http
