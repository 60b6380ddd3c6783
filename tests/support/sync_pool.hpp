#pragma once

#include "storage/pg_types.hpp"

#include <memory>
#include <string>
#include <vector>

namespace crmd::testing {

// The real asynchronous pool on its own io thread, with a blocking call for test code.
class sync_pool {
 public:
  explicit sync_pool(const std::string& conninfo, int size = 2);
  ~sync_pool();
  sync_pool(const sync_pool&) = delete;
  sync_pool& operator=(const sync_pool&) = delete;

  storage::pg_outcome run(std::vector<storage::statement> batch);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crmd::testing
