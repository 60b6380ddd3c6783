#include "domain/campaign/address_zone.hpp"

#include <algorithm>
#include <cctype>

namespace crmd::domain::campaign {

namespace {

struct state_zones {
  std::string_view code;
  std::string_view name;   // lower case
  std::string_view zones;  // space-separated, westernmost first
};

// Split states list every zone a part of them keeps (the Florida panhandle is Central, El Paso is
// Mountain, …); a window must then be open in all of them, which errs towards not texting.
constexpr state_zones states[] = {
  {"AK", "alaska", "America/Adak America/Anchorage"},
  {"AL", "alabama", "America/Chicago"},
  {"AR", "arkansas", "America/Chicago"},
  {"AS", "american samoa", "Pacific/Pago_Pago"},
  {"AZ", "arizona", "America/Phoenix"},
  {"CA", "california", "America/Los_Angeles"},
  {"CO", "colorado", "America/Denver"},
  {"CT", "connecticut", "America/New_York"},
  {"DC", "district of columbia", "America/New_York"},
  {"DE", "delaware", "America/New_York"},
  {"FL", "florida", "America/Chicago America/New_York"},
  {"GA", "georgia", "America/New_York"},
  {"GU", "guam", "Pacific/Guam"},
  {"HI", "hawaii", "Pacific/Honolulu"},
  {"IA", "iowa", "America/Chicago"},
  {"ID", "idaho", "America/Los_Angeles America/Boise"},
  {"IL", "illinois", "America/Chicago"},
  {"IN", "indiana", "America/Chicago America/Indiana/Indianapolis"},
  {"KS", "kansas", "America/Denver America/Chicago"},
  {"KY", "kentucky", "America/Chicago America/Kentucky/Louisville"},
  {"LA", "louisiana", "America/Chicago"},
  {"MA", "massachusetts", "America/New_York"},
  {"MD", "maryland", "America/New_York"},
  {"ME", "maine", "America/New_York"},
  {"MI", "michigan", "America/Menominee America/Detroit"},
  {"MN", "minnesota", "America/Chicago"},
  {"MO", "missouri", "America/Chicago"},
  {"MP", "northern mariana islands", "Pacific/Saipan"},
  {"MS", "mississippi", "America/Chicago"},
  {"MT", "montana", "America/Denver"},
  {"NC", "north carolina", "America/New_York"},
  {"ND", "north dakota", "America/Denver America/Chicago"},
  {"NE", "nebraska", "America/Denver America/Chicago"},
  {"NH", "new hampshire", "America/New_York"},
  {"NJ", "new jersey", "America/New_York"},
  {"NM", "new mexico", "America/Denver"},
  {"NV", "nevada", "America/Los_Angeles"},
  {"NY", "new york", "America/New_York"},
  {"OH", "ohio", "America/New_York"},
  {"OK", "oklahoma", "America/Chicago"},
  {"OR", "oregon", "America/Los_Angeles America/Boise"},
  {"PA", "pennsylvania", "America/New_York"},
  {"PR", "puerto rico", "America/Puerto_Rico"},
  {"RI", "rhode island", "America/New_York"},
  {"SC", "south carolina", "America/New_York"},
  {"SD", "south dakota", "America/Denver America/Chicago"},
  {"TN", "tennessee", "America/Chicago America/New_York"},
  {"TX", "texas", "America/Denver America/Chicago"},
  {"UT", "utah", "America/Denver"},
  {"VA", "virginia", "America/New_York"},
  {"VI", "virgin islands", "America/St_Thomas"},
  {"VT", "vermont", "America/New_York"},
  {"WA", "washington", "America/Los_Angeles"},
  {"WI", "wisconsin", "America/Chicago"},
  {"WV", "west virginia", "America/New_York"},
  {"WY", "wyoming", "America/Denver"},
};

std::string normalised(std::string_view text) {
  auto first = text.find_first_not_of(" \t.");
  auto last = text.find_last_not_of(" \t.");
  if (first == std::string_view::npos)
    return {};
  std::string out;
  for (char c : text.substr(first, last - first + 1))
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace

std::vector<std::string> zones_for_us_state(std::string_view state) {
  auto key = normalised(state);
  if (key.empty())
    return {};
  auto found = std::find_if(std::begin(states), std::end(states), [&](const state_zones& s) {
    if (key == s.name)
      return true;
    return key.size() == 2 && std::tolower(static_cast<unsigned char>(s.code[0])) == key[0]
           && std::tolower(static_cast<unsigned char>(s.code[1])) == key[1];
  });
  if (found == std::end(states))
    return {};
  std::vector<std::string> out;
  std::string_view zones = found->zones;
  while (!zones.empty()) {
    auto space = zones.find(' ');
    out.emplace_back(zones.substr(0, space));
    zones = space == std::string_view::npos ? std::string_view{} : zones.substr(space + 1);
  }
  return out;
}

}  // namespace crmd::domain::campaign
