#pragma once

#include "domain/webhook_event.hpp"

#include <string>
#include <vector>

namespace crmd::domain {

// Which actor applies an event. Events of one conversation (our number + the external parties)
// share a key and so apply in arrival order; events that name only a call (summary, transcript,
// recording) are keyed by the call, and contact events by the contact. Keys never mix kinds.
std::string routing_key(const webhook_event& event);

// The rows applying the event may lock, by name: its activity ("activity:AC…"), its contact
// ("contact:CT…") and every phone number it names ("number:+1…", which stands for the contacts
// and conversations of that number). Two transactions whose events share no name never wait for
// each other's row locks, so the applier runs those side by side.
std::vector<std::string> lock_names(const webhook_event& event);

}  // namespace crmd::domain
