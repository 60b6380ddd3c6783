#include "tests/support/crmd_process.hpp"

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace crmd::testing {

namespace {

std::string temp_log_path() {
  std::string pattern = "/tmp/crmd-test-XXXXXX";
  int fd = mkstemp(pattern.data());
  if (fd >= 0)
    close(fd);
  return pattern;
}

}  // namespace

crmd_process::crmd_process(std::map<std::string, std::string> environment,
                           std::chrono::seconds start_timeout)
  : log_path_(temp_log_path()) {
  environment.try_emplace("CRM_HTTP_LISTEN", "127.0.0.1:0");
  environment.try_emplace("CRM_LOG_LEVEL", "info");
  child_ = std::make_unique<child_process>(CRMD_BINARY, std::vector<std::string>{}, log_path_,
                                           environment);
  auto deadline = std::chrono::steady_clock::now() + start_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::istringstream lines(read_file(log_path_));
    for (std::string line; std::getline(lines, line);) {
      auto event = nlohmann::json::parse(line, nullptr, false);
      if (!event.is_discarded() && event.value("message", "") == "listening") {
        port_ = event.value("port", std::uint16_t{0});
        return;
      }
    }
    if (auto code = child_->wait(std::chrono::milliseconds(20)))
      throw std::runtime_error("crmd exited with " + std::to_string(*code)
                               + " during start-up:\n" + log());
  }
  stop(SIGKILL);
  throw std::runtime_error("crmd did not start listening in time:\n" + log());
}

crmd_process::~crmd_process() {
  stop(SIGTERM, std::chrono::seconds(15));
  std::remove(log_path_.c_str());
}

int crmd_process::stop(int signal, std::chrono::seconds timeout) {
  if (auto code = child_->wait(std::chrono::milliseconds(0)))
    return *code;
  child_->send_signal(signal);
  auto code = child_->wait(timeout);
  if (!code) {
    child_->send_signal(SIGKILL);
    code = child_->wait(std::chrono::seconds(10));
  }
  return code.value_or(-1);
}

bool crmd_process::running() {
  return !child_->wait(std::chrono::milliseconds(0)).has_value();
}

std::string crmd_process::log() const {
  return read_file(log_path_);
}

int run_crmd_to_exit(const std::map<std::string, std::string>& environment, std::string& output,
                     std::chrono::seconds timeout) {
  auto path = temp_log_path();
  int code = -1;
  {
    child_process child(CRMD_BINARY, {}, path, environment);
    auto exited = child.wait(timeout);
    if (!exited) {
      child.send_signal(SIGKILL);
      exited = child.wait(std::chrono::seconds(10));
    }
    code = exited.value_or(-1);
  }
  output = read_file(path);
  std::remove(path.c_str());
  return code;
}

}  // namespace crmd::testing
