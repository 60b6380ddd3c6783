#include "app/user_command.hpp"

#include "auth/password_hash.hpp"
#include "auth/password_policy.hpp"
#include "storage/pg_pool.hpp"

#include <boost/asio/io_context.hpp>
#include <prometheus/registry.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <string_view>

namespace crmd::app {

namespace {

constexpr const char* user_usage =
  "usage: crmd user add --email EMAIL --role owner|staff [--first-name F] [--last-name L]\n"
  "       (the password is read from standard input: one line, at least 12 characters)\n";

std::optional<user_add_options> usage_error(const std::string& problem) {
  std::fprintf(stderr, "crmd user add: %s\n%s", problem.c_str(), user_usage);
  return std::nullopt;
}

// Something@something.something, no spaces: enough to catch a swapped argument.
bool plausible_email(std::string_view email) {
  auto at = email.find('@');
  return email.size() <= 254 && at != std::string_view::npos && at > 0
         && email.find('.', at) != std::string_view::npos && email.back() != '.'
         && email.find_first_of(" \t\r\n") == std::string_view::npos;
}

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::optional<std::string> read_line() {
  std::string line;
  if (!std::getline(std::cin, line))
    return std::nullopt;
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  return line;
}

// Reads one line from the terminal with echo off, restoring the terminal afterwards.
std::optional<std::string> prompt_hidden(const char* prompt) {
  std::fputs(prompt, stderr);
  termios saved{};
  bool hidden = tcgetattr(STDIN_FILENO, &saved) == 0;
  if (hidden) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  auto line = read_line();
  if (hidden)
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  std::fputc('\n', stderr);
  return line;
}

}  // namespace

std::optional<user_add_options> parse_user_add(std::span<char* const> args) {
  user_add_options parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view flag = args[i];
    if (i + 1 >= args.size())
      return usage_error("missing value after " + std::string(flag));
    std::string value = args[++i];
    if (flag == "--email")
      parsed.email = lowered(value);
    else if (flag == "--role")
      parsed.role = value;
    else if (flag == "--first-name")
      parsed.first_name = value;
    else if (flag == "--last-name")
      parsed.last_name = value;
    else
      return usage_error("unknown argument " + std::string(flag));
  }
  if (!plausible_email(parsed.email))
    return usage_error("--email must be an email address");
  if (parsed.role != "owner" && parsed.role != "staff")
    return usage_error("--role must be owner or staff");
  return parsed;
}

std::optional<std::string> read_new_password() {
  std::optional<std::string> password;
  if (isatty(STDIN_FILENO)) {
    password = prompt_hidden("Password: ");
    auto again = prompt_hidden("Password again: ");
    if (password && again && *password != *again) {
      std::fputs("crmd user add: the two passwords differ\n", stderr);
      return std::nullopt;
    }
  } else {
    password = read_line();
  }
  if (!password) {
    std::fputs("crmd user add: no password on standard input\n", stderr);
    return std::nullopt;
  }
  if (auto problem = auth::password_problem(*password)) {
    std::fprintf(stderr, "crmd user add: the password %s\n", problem->c_str());
    return std::nullopt;
  }
  return password;
}

int run_user_add(const std::string& database_url, const user_add_options& options,
                 const std::string& password) {
  auto encoded = auth::hash_password(password);
  if (!encoded) {
    std::fputs("crmd user add: hashing the password failed\n", stderr);
    return 1;
  }
  boost::asio::io_context io;
  prometheus::Registry metrics;
  storage::pg_pool pool(io, {.conninfo = database_url, .size = 1}, metrics);
  pool.start();
  storage::pg_outcome outcome;
  pool.execute({storage::statement::named("delete_user_sessions", {options.email}),
                storage::statement::named("upsert_account",
                                          {options.email, *encoded, options.role,
                                           options.first_name, options.last_name})},
               [&](storage::pg_outcome done) {
                 outcome = std::move(done);
                 pool.stop([] {});
               });
  io.run();
  if (!outcome.ok()) {
    std::fprintf(stderr, "crmd user add: %s\n", outcome.error->message.c_str());
    return 1;
  }
  const auto& row = outcome.results[1].rows.at(0);
  bool updated = row[1].value_or("f") == "t";
  std::fprintf(stderr, "crmd user add: %s %s (id %s, %s)%s\n", updated ? "updated" : "created",
               options.email.c_str(), row[0].value_or("?").c_str(), options.role.c_str(),
               updated ? "; its password and role were replaced and its sessions ended" : "");
  return 0;
}

}  // namespace crmd::app
