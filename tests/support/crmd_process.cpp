#include "tests/support/crmd_process.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace crmd::testing {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

pid_t spawn(const std::map<std::string, std::string>& environment, const std::string& log_path) {
  std::vector<std::string> entries;
  if (const char* path = std::getenv("PATH"))
    entries.push_back(std::string("PATH=") + path);
  for (const auto& [key, value] : environment)
    entries.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : entries)
    envp.push_back(entry.data());
  envp.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDERR_FILENO);
      dup2(fd, STDOUT_FILENO);
    }
    char* argv[] = {const_cast<char*>(CRMD_BINARY), nullptr};
    execve(CRMD_BINARY, argv, envp.data());
    _exit(127);
  }
  return pid;
}

int decode(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return -1;
}

// Waits for the child; returns its exit code or nullopt on timeout.
std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid)
      return decode(status);
    if (std::chrono::steady_clock::now() > deadline)
      return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

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
  pid_ = spawn(environment, log_path_);
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
    if (auto code = wait_exit(pid_, std::chrono::milliseconds(20))) {
      exit_code_ = *code;
      throw std::runtime_error("crmd exited with " + std::to_string(*code)
                               + " during start-up:\n" + log());
    }
  }
  stop(SIGKILL);
  throw std::runtime_error("crmd did not start listening in time:\n" + log());
}

crmd_process::~crmd_process() {
  if (exit_code_ < 0 && pid_ > 0)
    stop(SIGTERM, std::chrono::seconds(15));
  std::remove(log_path_.c_str());
}

int crmd_process::stop(int signal, std::chrono::seconds timeout) {
  if (exit_code_ >= 0)
    return exit_code_;
  ::kill(pid_, signal);
  auto code = wait_exit(pid_, timeout);
  if (!code) {
    ::kill(pid_, SIGKILL);
    code = wait_exit(pid_, std::chrono::seconds(10));
  }
  exit_code_ = code.value_or(-1);
  return exit_code_;
}

bool crmd_process::running() {
  if (exit_code_ >= 0)
    return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_code_ = decode(status);
    return false;
  }
  return true;
}

std::string crmd_process::log() const {
  return read_file(log_path_);
}

int run_crmd_to_exit(const std::map<std::string, std::string>& environment, std::string& output,
                     std::chrono::seconds timeout) {
  auto path = temp_log_path();
  pid_t pid = spawn(environment, path);
  auto code = wait_exit(pid, timeout);
  if (!code) {
    ::kill(pid, SIGKILL);
    code = wait_exit(pid, std::chrono::seconds(10));
  }
  output = read_file(path);
  std::remove(path.c_str());
  return code.value_or(-1);
}

}  // namespace crmd::testing
