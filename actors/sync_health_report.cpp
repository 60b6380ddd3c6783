#include "actors/sync_health_report.hpp"

#include "domain/business_time.hpp"

#include <date/date.h>
#include <date/tz.h>

namespace crmd {

namespace {

using nlohmann::json;

json optional_text(const std::optional<std::string>& text) {
  return text ? json(*text) : json();
}

json reconcile_json(const std::optional<sync_reconcile_input>& run) {
  if (!run)
    return nullptr;
  return {{"id", run->id},
          {"status", run->status},
          {"finished_at", optional_text(run->finished_at)},
          {"missing_found", run->missing_found},
          {"still_failing", run->still_failing}};
}

}  // namespace

sync_health_report judge_health(const sync_health_input& input, const sync_health_rules& rules,
                                sync_time now) {
  auto business = [&](sync_time since) {
    return domain::business_time_between(since, now, rules.hours, *rules.zone);
  };
  sync_health_report report;
  domain::sync_facts facts{.failed_events = input.failed_events,
                           .dead_events = input.dead_events,
                           .circuit = input.circuit,
                           .error_ratio = input.error_ratio,
                           .provider_calls = input.provider_calls};
  if (input.last_webhook)
    facts.last_webhook_at = input.last_webhook->at;
  facts.silence = business(input.last_webhook ? input.last_webhook->at : input.watching_since);
  if (input.import)
    facts.import = domain::import_facts{input.import->id, input.import->status};
  if (input.last_finished)
    facts.reconcile = domain::reconcile_facts{input.last_finished->id, input.last_finished->status,
                                              input.last_finished->missing_found,
                                              input.last_finished->still_failing};
  auto integration = domain::judge_sync(facts, rules.quiet_limit);

  std::vector<domain::number_verdict> verdicts;
  json numbers = json::array();
  for (const auto& number : input.numbers) {
    domain::number_facts seen{.phone_number = number.phone_number};
    if (number.last_webhook)
      seen.last_webhook_at = number.last_webhook->at;
    seen.silence = business(number.last_webhook ? number.last_webhook->at : number.known_since);
    auto verdict = domain::judge_number(seen, rules.quiet_limit);
    verdicts.push_back({number.phone_number, verdict});
    report.numbers.push_back(
      {number.phone_number, domain::severity(verdict.status), seen.silence});
    report.signature += "|" + number.phone_number + ":" + verdict.status + ":" + verdict.reason;
    numbers.push_back({{"phone_number", number.phone_number},
                       {"name", optional_text(number.name)},
                       {"status", verdict.status},
                       {"reason", verdict.reason},
                       {"last_webhook_at",
                        number.last_webhook ? json(number.last_webhook->iso) : json()},
                       {"silence_business_seconds", seen.silence.count()}});
  }
  auto overall = domain::overall_verdict(integration, verdicts);
  report.severity = domain::severity(overall.status);
  report.silence = facts.silence;
  report.signature = overall.status + ":" + overall.reason + report.signature;

  json import = nullptr;
  if (input.import)
    import = {{"id", input.import->id},
              {"status", input.import->status},
              {"finished_at", optional_text(input.import->finished_at)}};
  report.body = {
    {"status", overall.status},
    {"reason", overall.reason},
    {"checked_at", date::format("%FT%TZ", date::floor<std::chrono::milliseconds>(now))},
    {"webhooks",
     {{"last_received_at", input.last_webhook ? json(input.last_webhook->iso) : json()},
      {"failed", input.failed_events},
      {"dead", input.dead_events},
      {"silence_business_seconds", facts.silence.count()}}},
    {"provider",
     {{"circuit", domain::to_string(input.circuit)}, {"error_ratio", input.error_ratio}}},
    {"import", import},
    {"reconcile", reconcile_json(input.reconcile)},
    {"phone_numbers", numbers}};
  return report;
}

}  // namespace crmd
