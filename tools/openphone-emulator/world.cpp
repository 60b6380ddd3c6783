#include "tools/openphone-emulator/world.hpp"

#include <array>
#include <chrono>
#include <ctime>
#include <set>
#include <stdexcept>

namespace crmd::openphone_emulator {

namespace {

constexpr std::array<std::string_view, 10> area_codes{"508", "617", "781", "978", "413",
                                                      "212", "312", "415", "720", "512"};
constexpr std::array<std::string_view, 16> first_names{
    "Maria", "James", "Aisha",  "Wei",   "Olivia", "Mateo", "Priya", "Liam",
    "Chloé", "Noah",  "Fatima", "Ethan", "Sofia",  "Lucas", "Zoë",   "Daniel"};
constexpr std::array<std::string_view, 14> last_names{
    "Garcia", "Smith",  "Okafor",  "Chen",     "O'Brien", "Rossi", "Patel",
    "Müller", "Nguyen", "Johnson", "Kowalski", "Haddad",  "Silva", "Brown"};
constexpr std::array<std::string_view, 6> companies{
    "Harbor Realty",           "Greenfield Builders",     "Oak & Stone LLC",
    "Bay State Property Mgmt", "Summit Home Inspections", "Northside Landscaping"};

std::string hex64(std::uint64_t value) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = digits[value & 15];
    value >>= 4;
  }
  return out;
}

std::string pick_text(rng& random, const auto& items) {
  return std::string(items[random.below(items.size())]);
}

std::string lower_ascii(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return text;
}

// Our numbers use the reserved-for-fiction 555-0190..0199 block; contacts use the rest of the
// 555 exchange, so the two never collide.
std::string our_e164(rng& random, std::size_t index) {
  return "+1" + pick_text(random, area_codes) + "555019" + std::to_string(index % 10);
}

std::string contact_e164(rng& random) {
  int line = 0;
  do {
    line = random.between(0, 9999);
  } while (line >= 190 && line <= 199);
  std::string digits = std::to_string(line);
  return "+1" + pick_text(random, area_codes) + "555" + std::string(4 - digits.size(), '0') +
         digits;
}

}  // namespace

std::uint64_t mix64(std::uint64_t value) {
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

std::uint64_t rng::next() {
  state_ += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rng::below(std::uint64_t bound) {
  // The modulo bias is below 2^-40 for the small bounds used here.
  return next() % bound;
}

int rng::between(int low, int high) {
  return low + static_cast<int>(below(static_cast<std::uint64_t>(high - low + 1)));
}

bool rng::chance(double probability) {
  return unit() < probability;
}

double rng::unit() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::string mint_id(std::string_view prefix, std::uint64_t seed, id_kind kind, std::uint64_t n) {
  // The first half is a bijection of n within the (seed, kind) sequence, so it alone makes the
  // id unique; the second half only makes the ids look random.
  std::uint64_t base = mix64(seed ^ (static_cast<std::uint64_t>(kind) << 48));
  std::uint64_t unique = mix64(base + n);
  return std::string(prefix) + hex64(unique) + hex64(mix64(unique ^ base));
}

std::string iso_utc(std::int64_t unix_ms) {
  std::int64_t seconds = unix_ms / 1000;
  int millis = static_cast<int>(unix_ms % 1000);
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", millis);
  return std::string(text) + fraction;
}

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const conversation& world::direct(std::size_t contact_index) const {
  // make_world puts the direct conversations first, in contact order.
  return conversations.at(contact_index);
}

world make_world(std::uint64_t seed, int contact_count) {
  if (contact_count < 3)
    throw std::invalid_argument("a world needs at least three contacts");
  rng random(mix64(seed ^ 0x574f524c44ULL));
  world w;
  w.seed = seed;
  w.org_id = mint_id("OR", seed, id_kind::org, 0);

  int user_count = random.between(3, 5);
  for (int i = 0; i < user_count; ++i)
    w.users.push_back(mint_id("US", seed, id_kind::user, static_cast<std::uint64_t>(i)));

  std::size_t number_count = static_cast<std::size_t>(random.between(2, 3));
  for (std::size_t i = 0; i < number_count; ++i) {
    phone_number number{mint_id("PN", seed, id_kind::phone_number, i), our_e164(random, i), {}};
    // Each number has an owner; some are shared with a teammate, who can answer its calls.
    number.user_ids.push_back(w.users[i % w.users.size()]);
    std::string teammate = w.users[(i + 1 + random.below(w.users.size() - 1)) % w.users.size()];
    number.user_ids.push_back(teammate);
    w.numbers.push_back(std::move(number));
  }

  std::set<std::string> taken;
  for (int i = 0; i < contact_count; ++i) {
    contact c;
    c.id = mint_id("CT", seed, id_kind::contact, static_cast<std::uint64_t>(i));
    do {
      c.e164 = contact_e164(random);
    } while (!taken.insert(c.e164).second);
    c.first_name = pick_text(random, first_names);
    c.last_name = pick_text(random, last_names);
    if (random.chance(0.4))
      c.company = pick_text(random, companies);
    c.email = lower_ascii(c.last_name) + "." + std::to_string(i) + "@example.com";
    w.contacts.push_back(std::move(c));
  }

  std::uint64_t conversation_n = 0;
  for (std::size_t i = 0; i < w.contacts.size(); ++i)
    w.conversations.push_back({mint_id("CN", seed, id_kind::conversation, conversation_n++),
                               random.below(number_count),
                               {i}});
  std::size_t group_count = std::max<std::size_t>(1, w.contacts.size() / 8);
  for (std::size_t g = 0; g < group_count; ++g) {
    std::set<std::size_t> members;
    std::size_t size = static_cast<std::size_t>(random.between(2, 3));
    while (members.size() < size)
      members.insert(random.below(w.contacts.size()));
    w.conversations.push_back({mint_id("CN", seed, id_kind::conversation, conversation_n++),
                               random.below(number_count),
                               {members.begin(), members.end()}});
  }
  return w;
}

}  // namespace crmd::openphone_emulator
