#pragma once

#include <string>
#include <string_view>
#include <vector>

// A contact's time zone guessed from the state of its postal address, for quiet hours when the
// contact has no zone of its own. Better than the number's prefix (a mobile number moves with its
// owner, an address does not), weaker than a stored zone.
namespace crmd::domain::campaign {

// The zones of a US state or territory, given as its two-letter code or its name in any case
// ("MA", "ma", "Massachusetts"). A state spanning zones returns each of them, westernmost first,
// so check_send_window's span overload holds the window in all of them. Empty when unknown.
std::vector<std::string> zones_for_us_state(std::string_view state);

}  // namespace crmd::domain::campaign
