#pragma once

#include "integrations/http/connection.hpp"
#include "integrations/http/url.hpp"

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

// Idle keep-alive connections per origin. Used only on the client's io thread.
namespace crmd::http {

class connection_pool {
 public:
  connection_pool(std::size_t max_idle_per_origin, std::chrono::milliseconds idle_timeout);

  // The most recently used idle connection to `where` that can still carry a request, or null.
  // Connections found closed or idle too long are closed and dropped on the way.
  std::unique_ptr<connection> take(const origin& where);

  // Keeps a connection whose last response allowed keep-alive; beyond the per-origin limit
  // it is closed instead.
  void put(const origin& where, std::unique_ptr<connection> idle);

  void clear();

 private:
  struct idle_entry {
    std::unique_ptr<connection> conn;
    std::chrono::steady_clock::time_point since;
  };

  std::size_t max_idle_;
  std::chrono::milliseconds idle_timeout_;
  std::map<std::string, std::vector<idle_entry>> idle_;
};

}  // namespace crmd::http
