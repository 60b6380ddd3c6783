#pragma once

#include "tools/openphone-emulator/scenario.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

// Scenario files (README.md, "Scenario files"): a JSON list of explicit events, so a test can
// script exact cases: which type and dialect, which fields to override, in what order, how often
// and how signed, and what crmd must answer.
namespace crmd::openphone_emulator {

// Reads and parses the file; throws std::runtime_error naming the problem.
nlohmann::json read_scenario_file(const std::string& path);

// The file's own "seed", if it names one.
std::optional<std::uint64_t> scenario_file_seed(const nlohmann::json& doc);

// Builds the plan; facts are drawn from `w` (whose seed also mints the ids) and the first
// activity happens at `start_ms`. Throws std::runtime_error naming the entry at fault.
plan scenario_from_json(const nlohmann::json& doc, const world& w, std::int64_t start_ms);

}  // namespace crmd::openphone_emulator
