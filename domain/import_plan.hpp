#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The pure rules of the OpenPhone history import: its stages in order (roadmap Task 1.2), the
// position inside a work-list stage, the progress counters, the verification report and the
// terminal progress line. No I/O: the import job actor drives these.
namespace crmd::domain {

enum class import_stage {
  phone_numbers,
  users,
  conversations,
  messages,
  calls,
  call_details,
  message_media,
  contact_matching,
  conversation_metadata,
  verification,
  done,
};

// The import_jobs.resource value of a stage ("done" has none: the job is finished).
std::string_view stage_name(import_stage stage);
std::optional<import_stage> stage_from_name(std::string_view name);
import_stage next_stage(import_stage stage);

// Stages that walk a list of items from the database (conversations, calls) with several items
// in flight; the others page through one provider list.
bool is_worklist_stage(import_stage stage);

// Where a work-list stage stands. Every item with id <= next was started; those still in
// `active` were not finished and resume from their page token (nullopt: the first page).
struct worklist_cursor {
  std::int64_t next = 0;
  std::map<std::int64_t, std::optional<std::string>> active;
};

nlohmann::json to_json(const worklist_cursor& cursor);
// Tolerant: anything unreadable is an empty cursor (the stage restarts, which is idempotent).
worklist_cursor worklist_from_json(const nlohmann::json& value);

struct resource_counts {
  std::int64_t fetched = 0;   // items the provider returned
  std::int64_t written = 0;   // rows the database wrote for them
  std::int64_t rejected = 0;  // items that could not be mapped or written
  std::int64_t pages = 0;
};

inline constexpr std::size_t max_listed_rejections = 50;

struct import_progress {
  std::map<std::string, resource_counts> resources;
  std::int64_t requests = 0;
  // Items of the current work-list stage: finished and in all (for the ETA).
  std::int64_t stage_done = 0;
  std::int64_t stage_total = 0;
  // The first max_listed_rejections rejected items: {resource, id, message}.
  std::vector<nlohmann::json> rejections;

  void reject(const std::string& resource, const std::string& id, const std::string& message);
};

nlohmann::json to_json(const import_progress& progress);
import_progress progress_from_json(const nlohmann::json& value);

// Provider totals (what the import received) against the database's totals per resource
// (`database` as returned by the import_database_totals query). A resource is missing rows when
// the database holds fewer than the provider sent; the import is complete when nothing is
// missing and nothing was rejected.
nlohmann::json verification_report(const import_progress& progress,
                                   const nlohmann::json& database);

// "[stage 4/9 messages] ███░░ 42% | messages 12,345 calls 678 | 9.8 req/s | ETA 3m12s",
// fitted to `width` columns. `stage_fraction` is the share of the current stage done, when known.
std::string progress_line(import_stage stage, const import_progress& progress,
                          double elapsed_seconds, std::optional<double> stage_fraction,
                          std::optional<double> eta_seconds, int width);

// The `since` of an import as an ISO-8601 UTC instant: a date (2024-01-31, meaning its start
// in UTC) or a full timestamp ending in Z. nullopt when it is neither or not a real date.
std::optional<std::string> normalize_since(std::string_view text);

}  // namespace crmd::domain
