#include "tests/support/test_accounts.hpp"

#include "tests/support/http_client.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace crmd::testing {

namespace {

// Runs a program with `input` on its standard input and stdout+stderr in `output`; returns its
// exit code (128+signal if killed).
int run_with_input(std::vector<std::string> argv, std::vector<std::string> environment,
                   const std::string& input, std::string& output) {
  std::string log_path = "/tmp/crmd-user-add-XXXXXX";
  int log_fd = mkstemp(log_path.data());
  int in[2];
  if (log_fd < 0 || pipe(in) != 0)
    throw std::runtime_error("cannot set up crmd user add");
  std::vector<char*> args;
  for (auto& arg : argv)
    args.push_back(arg.data());
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& entry : environment)
    envp.push_back(entry.data());
  envp.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(in[0], STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    close(in[0]);
    close(in[1]);
    close(log_fd);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(in[0]);
  close(log_fd);
  auto written = write(in[1], input.data(), input.size());
  close(in[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  std::ifstream log(log_path);
  std::stringstream text;
  text << log.rdbuf();
  output = text.str();
  std::remove(log_path.c_str());
  if (written != static_cast<ssize_t>(input.size()))
    throw std::runtime_error("could not write the password to crmd user add");
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

void add_user(const std::string& database_url, const test_user& user) {
  std::vector<std::string> argv{CRMD_BINARY, "user", "add", "--email", user.email, "--role",
                                user.role};
  if (!user.first_name.empty())
    argv.insert(argv.end(), {"--first-name", user.first_name});
  if (!user.last_name.empty())
    argv.insert(argv.end(), {"--last-name", user.last_name});
  std::vector<std::string> environment{"CRM_DATABASE_URL=" + database_url, "CRM_LOG_LEVEL=warn"};
  if (const char* path = std::getenv("PATH"))
    environment.push_back(std::string("PATH=") + path);
  std::string output;
  int code = run_with_input(std::move(argv), std::move(environment), user.password + "\n", output);
  if (code != 0)
    throw std::runtime_error("crmd user add exited with " + std::to_string(code) + ":\n" + output);
}

std::vector<std::pair<std::string, std::string>> test_session::headers(
  std::vector<std::pair<std::string, std::string>> extra) const {
  std::vector<std::pair<std::string, std::string>> all{{"Cookie", cookie()},
                                                       {"X-CSRF-Token", csrf_token}};
  all.insert(all.end(), extra.begin(), extra.end());
  return all;
}

test_session login(std::uint16_t port, const std::string& email, const std::string& password) {
  auto body = nlohmann::json{{"email", email}, {"password", password}}.dump();
  auto reply = http_request(port, "POST", "/api/v1/auth/login", body,
                            {{"Content-Type", "application/json"}});
  auto set_cookie = reply.header("set-cookie").value_or("");
  const std::string prefix = "crm_session=";
  auto end = set_cookie.find(';');
  if (reply.status != 200 || !set_cookie.starts_with(prefix) || end == std::string::npos)
    throw std::runtime_error("login as " + email + " answered " + std::to_string(reply.status)
                             + ": " + reply.body);
  auto answer = nlohmann::json::parse(reply.body);
  return {set_cookie.substr(prefix.size(), end - prefix.size()),
          answer.at("csrf_token").get<std::string>(), answer.at("user")};
}

test_session login_new_user(std::uint16_t port, const std::string& database_url,
                            const test_user& user) {
  add_user(database_url, user);
  return login(port, user.email, user.password);
}

}  // namespace crmd::testing
