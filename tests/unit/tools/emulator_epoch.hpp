#pragma once

#include <cstdint>

namespace crmd::openphone_emulator::testing {

// 2025-05-01T14:00:00.000Z: the start of the emulator tests' generated history.
inline constexpr std::int64_t may_first = 1746108000000;

}  // namespace crmd::openphone_emulator::testing
