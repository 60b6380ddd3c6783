#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace crmd::testing {

// A program run as a child with stdout and stderr in a file (crmd, the emulator). With an
// environment, the child sees only those variables plus PATH; without, it inherits ours. The
// destructor kills it if it is still running.
class child_process {
 public:
  child_process(std::string program, std::vector<std::string> arguments, std::string output_path,
                std::optional<std::map<std::string, std::string>> environment = std::nullopt);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  void send_signal(int signal) const;

  // Exit code (128+signal if killed), or nullopt if it is still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// The whole of a file, "" when it cannot be read: a child's output so far.
std::string read_file(const std::string& path);

// The port a tool announces with a {"event":"listening","port":N} line in its output file (the
// emulators do), polled until `timeout`; 0 when none came.
std::uint16_t wait_for_listening_port(const std::string& output_path,
                                      std::chrono::milliseconds timeout);

// An ephemeral TCP port on 127.0.0.1 that was free a moment ago (for a server that must come back
// on the same port after a restart).
std::uint16_t free_tcp_port();

}  // namespace crmd::testing
