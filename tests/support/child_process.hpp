#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace crmd::testing {

// Any program run as a child with stdout and stderr in a file (the emulator in e2e tests). The
// destructor kills it if it is still running.
class child_process {
 public:
  child_process(std::string program, std::vector<std::string> arguments, std::string output_path);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // Exit code (128+signal if killed), or nullopt if it is still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// An ephemeral TCP port on 127.0.0.1 that was free a moment ago (for a server that must come back
// on the same port after a restart).
std::uint16_t free_tcp_port();

}  // namespace crmd::testing
