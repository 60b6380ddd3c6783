#pragma once

#include "tools/llm-emulator/service.hpp"

#include <iosfwd>

// The emulator's HTTP/1.1 server (Beast, in the .cpp files only).
namespace crmd::llm_emulator {

// Binds, writes {"event":"listening","port":N} as one line to `out`, then serves `service`
// on one thread until SIGINT or SIGTERM and returns 0. Throws std::runtime_error when it cannot
// bind.
int run_server(chat_service& service, const options& o, std::ostream& out);

}  // namespace crmd::llm_emulator
