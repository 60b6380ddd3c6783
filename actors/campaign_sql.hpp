#pragma once

#include "actors/campaign_runtime_options.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// Text forms of the values the campaign queries take and return.
namespace crmd::campaign_sql {

// A PostgreSQL array literal: {1,2,3}, or {"a","b \"c\""} for text.
std::string int_array(const std::vector<std::int64_t>& values);
std::string text_array(const std::vector<std::string>& values);

// ISO-8601 UTC with milliseconds (2026-03-08T06:00:00.000Z), for timestamptz parameters.
std::string iso(std::chrono::system_clock::time_point at);
std::chrono::system_clock::time_point from_ms(std::int64_t ms);
std::int64_t to_ms(std::chrono::system_clock::time_point at);

// A bigint column, nullopt for NULL or text that is no number (never throws).
std::optional<std::int64_t> to_int(const std::optional<std::string>& text);

}  // namespace crmd::campaign_sql
