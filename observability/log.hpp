#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

// Structured logging: one JSON object per line on stderr with time, level, component and message,
// plus event-specific ids. Never pass secrets or full message bodies as fields.
namespace crmd::log {

enum class level { debug, info, warn, error };

std::optional<level> parse_level(std::string_view text);
std::string_view to_string(level lvl);

void set_level(level lvl);
bool enabled(level lvl);

void write(level lvl, std::string_view component, std::string_view message,
           const nlohmann::json& fields = nlohmann::json::object());

inline void debug(std::string_view component, std::string_view message,
                  const nlohmann::json& fields = nlohmann::json::object()) {
  if (enabled(level::debug))
    write(level::debug, component, message, fields);
}
inline void info(std::string_view component, std::string_view message,
                 const nlohmann::json& fields = nlohmann::json::object()) {
  if (enabled(level::info))
    write(level::info, component, message, fields);
}
inline void warn(std::string_view component, std::string_view message,
                 const nlohmann::json& fields = nlohmann::json::object()) {
  if (enabled(level::warn))
    write(level::warn, component, message, fields);
}
inline void error(std::string_view component, std::string_view message,
                  const nlohmann::json& fields = nlohmann::json::object()) {
  if (enabled(level::error))
    write(level::error, component, message, fields);
}

// Renders one log line without the trailing newline; exposed for tests.
std::string format_line(level lvl, std::string_view component, std::string_view message,
                        const nlohmann::json& fields, std::int64_t unix_micros);

}  // namespace crmd::log
