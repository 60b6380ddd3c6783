#pragma once

#include <exception>
#include <string>

namespace crmd {

// What an exception says, for the log line of an actor's exception handler: its what(), or
// "unknown exception" for a throw of something else.
std::string exception_text(const std::exception_ptr& error);

}  // namespace crmd
