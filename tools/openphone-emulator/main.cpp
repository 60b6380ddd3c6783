// openphone-emulator: signed OpenPhone webhook deliveries for crmd, scripted or as a load, and
// the REST API over a generated dataset.
#include "tools/openphone-emulator/dataset.hpp"
#include "tools/openphone-emulator/load.hpp"
#include "tools/openphone-emulator/options.hpp"
#include "tools/openphone-emulator/rest_json.hpp"
#include "tools/openphone-emulator/rest_server.hpp"
#include "tools/openphone-emulator/rest_service.hpp"
#include "tools/openphone-emulator/runner.hpp"
#include "tools/openphone-emulator/scenario_file.hpp"
#include "tools/openphone-emulator/webhook_relay.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>

namespace emu = crmd::openphone_emulator;

namespace {

// Scenario stories are spaced 7 s apart and hold about two and a half events: starting three
// seconds per event ago ends the activity roughly now.
constexpr std::int64_t scenario_ms_per_event = 3000;

emu::plan build_plan(const emu::options& o, std::uint64_t seed) {
  auto start_ms = o.start_time_ms.value_or(
      emu::now_unix_ms() - static_cast<std::int64_t>(o.events) * scenario_ms_per_event);
  if (!o.scenario_file.empty()) {
    auto doc = emu::read_scenario_file(o.scenario_file);
    auto file_seed = o.seed ? o.seed : emu::scenario_file_seed(doc);
    auto w = emu::make_world(file_seed.value_or(seed));
    return emu::scenario_from_json(doc, w, o.start_time_ms.value_or(emu::now_unix_ms()));
  }
  auto w = emu::make_world(seed);
  return emu::make_scenario(w, {.name = o.scenario,
                                .events = o.events,
                                .repeat = o.repeat,
                                .versions = o.versions,
                                .start_ms = start_ms});
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  if (!(out << text << '\n'))
    throw std::runtime_error("cannot write " + path);
}

void print_deliveries(const emu::plan& p) {
  for (std::size_t w = 0; w < p.waves.size(); ++w)
    for (std::size_t s = 0; s < p.waves[w].sequences.size(); ++s)
      for (const auto& d : p.waves[w].sequences[s]) {
        const auto& event = p.events[d.event];
        nlohmann::json line{{"wave", w},
                            {"sequence", s},
                            {"signature", emu::to_string(d.sign)},
                            {"expect", emu::to_string(d.expect)},
                            {"id", event.id},
                            {"body", event.body}};
        std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      }
}

// stdout carries only the listening line, which tests wait for; the rest goes to stderr.
int serve(const emu::serve_options& o, const std::optional<std::string>& key, std::uint64_t seed) {
  namespace rest = emu::rest;
  auto data = rest::make_dataset({.seed = seed,
                                  .numbers = o.numbers,
                                  .users = o.users,
                                  .contacts = o.contacts,
                                  .conversations = o.conversations,
                                  .messages = o.messages,
                                  .calls = o.calls,
                                  .media_base = o.media_base});
  std::cerr << "openphone-emulator: seed " << seed << ", dataset "
            << rest::to_json(rest::totals(data)).dump() << std::endl;
  std::unique_ptr<emu::webhook_relay> relay;
  if (!o.webhooks_to.empty()) {
    auto target = emu::parse_url(o.webhooks_to);
    if (!target)
      throw std::invalid_argument("--webhooks-to must be http://host[:port]/path");
    relay = std::make_unique<emu::webhook_relay>(
        *target, emu::resolve_key(key, std::getenv("CRM_OPENPHONE_WEBHOOK_KEYS")),
        std::chrono::milliseconds(200), seed);
  }
  rest::rest_service service(data, {.api_key = *o.api_key,
                                    .rate_limit = o.rate_limit,
                                    .injection = {.fail = o.fail_rate,
                                                  .slow = o.slow_rate,
                                                  .drop = o.drop_rate},
                                    .seed = seed,
                                    .send_drop_rate = o.send_drop_rate,
                                    .on_sent = [&relay](const rest::accepted_text& text) {
                                      if (relay)
                                        relay->deliver(text);
                                    }});
  return rest::run_rest_server(service,
                               {.host = o.host,
                                .port = o.port,
                                .threads = o.threads,
                                .slow_delay = std::chrono::milliseconds(o.slow_ms)},
                               std::cout);
}

int run(const emu::options& o) {
  // Without --seed every run is a new world, so a second run is not all duplicates; the seed
  // in the output repeats it.
  auto seed = o.seed.value_or(static_cast<std::uint64_t>(emu::now_unix_ms()));
  if (o.serve)
    return serve(o.rest, o.key, seed);
  auto key = emu::resolve_key(o.key, std::getenv("CRM_OPENPHONE_WEBHOOK_KEYS"));
  auto target = emu::parse_url(o.url);
  if (!target)
    throw std::invalid_argument("--url must be http://host[:port]/path");

  if (o.load) {
    emu::load_settings settings{.target = *target,
                                .key = key,
                                .concurrency = o.concurrency,
                                .duration = std::chrono::seconds(o.duration_s),
                                .rate = o.rate,
                                .timeout = std::chrono::milliseconds(o.timeout_ms),
                                .seed = seed,
                                .versions = o.versions,
                                .database_url = o.database_url,
                                .crmd_pid = o.crmd_pid,
                                .settle = std::chrono::seconds(o.settle_s)};
    return emu::run_load(settings, std::cout);
  }

  emu::plan p;
  try {
    p = build_plan(o, seed);
  } catch (const std::runtime_error& e) {
    // A scenario file that does not parse is a usage error, like a bad flag.
    throw std::invalid_argument(e.what());
  }
  // Written before sending, so it exists even if the run is interrupted.
  if (!o.expect_out.empty())
    write_file(o.expect_out, emu::expected_outcome(p).dump(2));
  if (o.dry_run) {
    print_deliveries(p);
    return 0;
  }
  emu::run_settings settings{.target = *target,
                             .key = key,
                             .concurrency = o.concurrency,
                             .retry = {.retry_for = std::chrono::seconds(o.retry_for_s)},
                             .timeout = std::chrono::milliseconds(o.timeout_ms),
                             .stale_by = std::chrono::seconds(o.stale_by_s),
                             .acked_out = o.acked_out};
  auto summary = emu::run_plan(p, settings);
  std::cout << summary.to_json().dump() << std::endl;
  return summary.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  emu::options o;
  try {
    o = emu::parse_options({argv + 1, argv + argc});
  } catch (const std::exception& e) {
    std::cerr << "openphone-emulator: " << e.what() << '\n';
    return 2;
  }
  if (o.help) {
    std::cout << emu::usage();
    return 0;
  }
  try {
    return run(o);
  } catch (const std::invalid_argument& e) {
    std::cerr << "openphone-emulator: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "openphone-emulator: " << e.what() << '\n';
    return 1;
  }
}
