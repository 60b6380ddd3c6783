#include "domain/reconcile_report.hpp"

namespace crmd::domain {

namespace {

using nlohmann::json;

std::int64_t number_at(const json& value, const char* outer, const char* inner) {
  if (!value.is_object())
    return 0;
  auto group = value.find(outer);
  if (group == value.end() || !group->is_object())
    return 0;
  auto field = group->find(inner);
  if (field == group->end() || !field->is_number_integer())
    return 0;
  return field->get<std::int64_t>();
}

std::int64_t fetched(const import_progress& progress, const char* resource) {
  auto it = progress.resources.find(resource);
  return it == progress.resources.end() ? 0 : it->second.fetched;
}

}  // namespace

reconcile_report make_reconcile_report(const import_progress& progress,
                                       const reconcile_counts& gaps,
                                       const redrive_outcome& redrive) {
  reconcile_report report;
  report.checked = {fetched(progress, "messages"), fetched(progress, "calls")};
  report.missing_found = gaps;
  report.fixed = gaps;
  report.fixed_webhook_events = redrive.processed;
  report.still_failing_webhook_events = redrive.still_failing;
  report.requests = progress.requests;
  return report;
}

json to_json(const reconcile_report& report) {
  auto counts = [](const reconcile_counts& c) {
    return json{{"messages", c.messages}, {"calls", c.calls}};
  };
  auto fixed = counts(report.fixed);
  fixed["webhook_events"] = report.fixed_webhook_events;
  return json{{"checked", counts(report.checked)},
              {"missing_found", counts(report.missing_found)},
              {"fixed", fixed},
              {"still_failing", {{"webhook_events", report.still_failing_webhook_events}}},
              {"requests", report.requests},
              {"phone_numbers",
               report.phone_numbers.is_array() ? report.phone_numbers : json::array()}};
}

reconcile_report reconcile_report_from_json(const json& value) {
  reconcile_report report;
  report.checked = {number_at(value, "checked", "messages"), number_at(value, "checked", "calls")};
  report.missing_found = {number_at(value, "missing_found", "messages"),
                          number_at(value, "missing_found", "calls")};
  report.fixed = {number_at(value, "fixed", "messages"), number_at(value, "fixed", "calls")};
  report.fixed_webhook_events = number_at(value, "fixed", "webhook_events");
  report.still_failing_webhook_events = number_at(value, "still_failing", "webhook_events");
  if (value.is_object()) {
    if (auto it = value.find("requests"); it != value.end() && it->is_number_integer())
      report.requests = it->get<std::int64_t>();
    if (auto it = value.find("phone_numbers"); it != value.end() && it->is_array())
      report.phone_numbers = *it;
  }
  return report;
}

bool found_problems(const reconcile_report& report) {
  return report.missing_found.messages > 0 || report.missing_found.calls > 0
         || report.still_failing_webhook_events > 0;
}

}  // namespace crmd::domain
