#include "observability/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace crmd::log {

namespace {

std::atomic<level> current_level{level::info};

std::string iso_time(std::int64_t unix_micros) {
  std::time_t secs = static_cast<std::time_t>(unix_micros / 1'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%06lldZ",
                static_cast<long long>(unix_micros % 1'000'000));
  return buf;
}

}  // namespace

std::optional<level> parse_level(std::string_view text) {
  if (text == "debug")
    return level::debug;
  if (text == "info")
    return level::info;
  if (text == "warn")
    return level::warn;
  if (text == "error")
    return level::error;
  return std::nullopt;
}

std::string_view to_string(level lvl) {
  switch (lvl) {
    case level::debug:
      return "debug";
    case level::info:
      return "info";
    case level::warn:
      return "warn";
    case level::error:
      return "error";
  }
  return "info";
}

void set_level(level lvl) {
  current_level.store(lvl, std::memory_order_relaxed);
}

bool enabled(level lvl) {
  return static_cast<int>(lvl) >= static_cast<int>(current_level.load(std::memory_order_relaxed));
}

std::string format_line(level lvl, std::string_view component, std::string_view message,
                        const nlohmann::json& fields, std::int64_t unix_micros) {
  nlohmann::json line = nlohmann::json::object();
  line["time"] = iso_time(unix_micros);
  line["level"] = to_string(lvl);
  line["component"] = component;
  line["message"] = message;
  if (fields.is_object())
    for (const auto& [key, value] : fields.items())
      if (!line.contains(key))
        line[key] = value;
  // Replace invalid UTF-8 rather than throw: a log call must never fail its caller.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write(level lvl, std::string_view component, std::string_view message,
           const nlohmann::json& fields) {
  auto now = std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  std::string line = format_line(lvl, component, message, fields, now);
  line.push_back('\n');
  // One fwrite per line keeps concurrent lines whole (stdio locks the stream).
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace crmd::log
