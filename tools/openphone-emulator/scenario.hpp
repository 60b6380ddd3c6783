#pragma once

#include "tools/openphone-emulator/generator.hpp"
#include "tools/openphone-emulator/signer.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

// A scenario is a delivery plan: which events to send, how each is signed, what crmd must answer,
// and which deliveries must wait for which. Built-in scenarios and scenario files both produce
// one; the runner only executes plans.
namespace crmd::openphone_emulator {

struct expectation {
  enum class kind {
    ack,        // any 2xx (non-2xx is retried, as OpenPhone does)
    duplicate,  // 2xx whose body says {"duplicate":true}
    status,     // exactly `status`
  };
  kind what = kind::ack;
  unsigned status = 0;

  static expectation rejected() { return {kind::status, 401}; }
  bool wants_2xx() const { return what != kind::status || (status >= 200 && status < 300); }
};

std::string to_string(const expectation& expect);

struct delivery {
  std::size_t event = 0;  // index into plan::events
  signing sign = signing::valid;
  expectation expect;
  std::uint64_t garbling = 0;  // which garbled header, for signing::garbled
};

// Sent in order, each only after the previous one was answered as expected (or given up).
using sequence = std::vector<delivery>;

// Sequences of a wave run concurrently; a wave starts when the previous one has finished.
struct wave {
  std::vector<sequence> sequences;
};

struct plan {
  std::string name;
  std::uint64_t seed = 0;
  std::vector<generated_event> events;
  std::vector<wave> waves;

  std::size_t deliveries() const;
};

inline constexpr std::string_view built_in_scenarios[] = {
    "burst", "duplicates", "out-of-order", "retries", "bad-signatures", "stale"};

struct scenario_settings {
  std::string name = "burst";
  std::size_t events = 1000;
  int repeat = 3;  // duplicates: copies of each event
  version_mix versions = version_mix::mixed;
  std::int64_t start_ms = 0;  // when the first story happens
};

// Throws std::invalid_argument for an unknown name.
plan make_scenario(const world& w, const scenario_settings& settings);

// What crmd should hold after the plan ran, for --expect-out: every event id sent, the ones sent
// validly signed and expected to be stored, the activities (AC) and contacts (CT) those touch,
// and one detail entry per event.
nlohmann::json expected_outcome(const plan& p);

}  // namespace crmd::openphone_emulator
