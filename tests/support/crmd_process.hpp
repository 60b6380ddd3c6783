#pragma once

#include "tests/support/child_process.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <sys/types.h>

namespace crmd::testing {

// The real crmd binary as a child process, for integration and end-to-end tests. It listens on
// an ephemeral port (CRM_HTTP_LISTEN=127.0.0.1:0 unless overridden); stderr goes to a file whose
// "listening" line (info level, so CRM_LOG_LEVEL must stay debug or info) tells the port. The
// destructor stops it with SIGTERM, then SIGKILL.
class crmd_process {
 public:
  // `environment` holds CRM_* settings; CRM_DATABASE_URL is required.
  explicit crmd_process(std::map<std::string, std::string> environment,
                        std::chrono::seconds start_timeout = std::chrono::seconds(60));
  ~crmd_process();
  crmd_process(const crmd_process&) = delete;
  crmd_process& operator=(const crmd_process&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return child_->pid(); }

  // Sends the signal and waits for exit; returns the exit code (128+signal if killed).
  int stop(int signal, std::chrono::seconds timeout = std::chrono::seconds(30));
  bool running();
  std::string log() const;  // everything written to stderr so far

 private:
  std::string log_path_;
  std::unique_ptr<child_process> child_;
  std::uint16_t port_ = 0;
};

// Runs crmd to completion with the given environment (for start-up failures); returns the exit
// code and fills `output` with its stderr.
int run_crmd_to_exit(const std::map<std::string, std::string>& environment, std::string& output,
                     std::chrono::seconds timeout = std::chrono::seconds(60));

}  // namespace crmd::testing
