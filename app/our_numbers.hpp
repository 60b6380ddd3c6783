#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace crmd::app {

// Our OpenPhone numbers (phone_numbers.phone_number, filled by the history import), which webhook
// parsing needs to tell our side of a call or group message from the customers': v4 payloads
// list our number among the participants without saying which one it is. Refreshed from the
// database by the application, read on io threads and by the re-drive; a handful of entries,
// copied per read under a mutex.
class our_numbers {
 public:
  std::vector<std::string> get() const;
  void set(std::vector<std::string> numbers);

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> numbers_;
};

}  // namespace crmd::app
