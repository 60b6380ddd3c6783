#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// The fictional OpenPhone workspace the emulator's events happen in: our numbers, their users,
// the contacts who call and text them and the conversations between them. Everything derives
// from one seed, so a run can be repeated byte for byte.
namespace crmd::openphone_emulator {

// splitmix64's finaliser: a bijection on 64-bit values, so distinct inputs give distinct ids.
std::uint64_t mix64(std::uint64_t value);

// A small, fast, seedable generator. std::mt19937 would do, but its distributions are not
// specified bit for bit across standard libraries, and the seed → payload mapping must be.
class rng {
 public:
  explicit rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next();
  std::uint64_t below(std::uint64_t bound);  // uniform in [0, bound); bound > 0
  int between(int low, int high);            // uniform in [low, high]
  bool chance(double probability);
  double unit();  // uniform in [0, 1)

  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  std::uint64_t state_;
};

// Salts that keep each kind of id in its own sequence.
enum class id_kind : std::uint64_t {
  event = 0x4556,
  activity = 0x4143,
  recording = 0x4352,
  voicemail = 0x564d,
  media = 0x4d45,
  conversation = 0x434e,
  contact = 0x4354,
  phone_number = 0x504e,
  user = 0x5553,
  org = 0x4f52,
};

// `prefix` + 32 lowercase hex digits, unique per (seed, kind, n): OpenPhone's ids look alike
// (`AC3700e624eca547eb9f749a06f2eb1cbb`).
std::string mint_id(std::string_view prefix, std::uint64_t seed, id_kind kind, std::uint64_t n);

// ISO-8601 UTC with milliseconds, as webhooks carry them: 2025-05-01T14:00:00.120Z.
std::string iso_utc(std::int64_t unix_ms);

std::int64_t now_unix_ms();

struct phone_number {
  std::string id;                     // PN…
  std::string e164;                   // our number
  std::vector<std::string> user_ids;  // the users who share it; the first owns it
};

struct contact {
  std::string id;  // CT…
  std::string e164;
  std::string first_name;
  std::string last_name;
  std::string company;  // may be empty
  std::string email;
};

struct conversation {
  std::string id;                     // CN…
  std::size_t number = 0;             // index into world::numbers
  std::vector<std::size_t> contacts;  // indices into world::contacts; several = a group
};

struct world {
  std::uint64_t seed = 0;
  std::string org_id;                 // OR…
  std::vector<phone_number> numbers;  // 2–3
  std::vector<std::string> users;     // US…
  std::vector<contact> contacts;
  std::vector<conversation> conversations;  // one per contact, then the groups

  // The one-to-one conversation with a contact; calls always happen in these.
  const conversation& direct(std::size_t contact_index) const;
};

inline constexpr int default_contact_count = 40;

world make_world(std::uint64_t seed, int contact_count = default_contact_count);

}  // namespace crmd::openphone_emulator
