#pragma once

#include "domain/import_plan.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>

// The pure arithmetic of a reconciliation's report (issue 8): what was checked at OpenPhone,
// what the record lacked, what the run fixed and what still fails. No I/O: the reconciler
// actor gathers the inputs.
namespace crmd::domain {

struct reconcile_counts {
  std::int64_t messages = 0;
  std::int64_t calls = 0;
};

// What the run saw happen to the failed webhook events it re-drove.
struct redrive_outcome {
  std::int64_t redriven = 0;       // events sent to be applied again
  std::int64_t processed = 0;      // of those, applied
  std::int64_t still_failing = 0;  // failed or dead events in the inbox once they settled
};

struct reconcile_report {
  reconcile_counts checked;        // items OpenPhone listed in the window
  reconcile_counts missing_found;  // items the record lacked before this run
  reconcile_counts fixed;          // items this run wrote into the record
  std::int64_t fixed_webhook_events = 0;
  std::int64_t still_failing_webhook_events = 0;
  std::int64_t requests = 0;
  nlohmann::json phone_numbers = nlohmann::json::array();  // [{phone_number, since, through}]
};

// The report of a run from its import job's progress (checked items, requests), the activities
// its page writes inserted (`gaps`: what the record lacked; a gap is fixed by the very
// transaction that found it, so fixed equals found) and the re-drive of failed events.
reconcile_report make_reconcile_report(const import_progress& progress,
                                       const reconcile_counts& gaps,
                                       const redrive_outcome& redrive);

// The pinned JSON shape: every key present, zeros included.
nlohmann::json to_json(const reconcile_report& report);
// Tolerant: missing or mistyped fields read as zero (a pending run's report is {}).
reconcile_report reconcile_report_from_json(const nlohmann::json& value);

// True when the run found anything missing or left events failing: the health model's amber.
bool found_problems(const reconcile_report& report);

}  // namespace crmd::domain
