#pragma once

#include "tools/openphone-emulator/dataset.hpp"
#include "tools/openphone-emulator/world.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

// Internal to make_dataset: the steps its two source files share.
namespace crmd::openphone_emulator::rest::build {

// Ids mint from this instead of the bare seed, so a dataset and the webhook world of the same
// seed never share an id.
std::uint64_t id_seed(std::uint64_t seed);

// Each generation step draws from its own stream, so the calls of a seed stay the same when
// only --messages changes.
rng stream(std::uint64_t seed, std::uint64_t salt);

std::string_view pick(rng& random, std::span<const std::string_view> pool);

// Appends messages, calls and their follow-ups to conversations made before, then sets the
// conversations' last-activity fields.
void add_messages(dataset& data);
void add_calls(dataset& data);
void finish_conversations(dataset& data);

}  // namespace crmd::openphone_emulator::rest::build
