#include "tools/openphone-emulator/dataset.hpp"

#include "tools/openphone-emulator/dataset_build.hpp"
#include "tools/openphone-emulator/dataset_text.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace crmd::openphone_emulator::rest {

namespace {

constexpr std::int64_t day_ms = 24 * 3600 * 1000LL;

// Distinct external numbers without a lookup set: the k-th is a fixed permutation of the
// 199,800 numbers made of 20 area codes and the 555 exchange's lines outside our own
// 0190–0199 block. 1001 is coprime with the space's size, so k → k·1001 + offset is a bijection.
class external_numbers {
 public:
  static constexpr std::uint64_t lines = 9990;

  explicit external_numbers(std::uint64_t seed) : offset_(mix64(seed ^ 0x4558544eULL) % space()) {}

  std::string next() {
    if (used_ == space())
      throw std::invalid_argument("the dataset needs more external numbers than exist");
    std::uint64_t value = (used_++ * 1001 + offset_) % space();
    auto areas = pools::area_codes();
    std::uint64_t line = value / areas.size();
    if (line >= 190)  // skip 0190–0199, ours
      line += 10;
    std::string digits = std::to_string(line);
    return "+1" + std::string(areas[value % areas.size()]) + "555" +
           std::string(4 - digits.size(), '0') + digits;
  }

 private:
  static std::uint64_t space() { return pools::area_codes().size() * lines; }

  std::uint64_t offset_;
  std::uint64_t used_ = 0;
};

std::string ascii_slug(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z')
      out += static_cast<char>(c - 'A' + 'a');
    else if (c >= 'a' && c <= 'z')
      out += c;
  }
  return out;
}

std::int64_t between_ms(rng& random, std::int64_t low, std::int64_t high) {
  return low + static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(high - low)));
}

void add_users(dataset& data, std::uint64_t ids) {
  auto random = build::stream(data.options.seed, 0x5553);
  std::int64_t start = data.options.end_ms - history_span_ms - 400 * day_ms;
  for (std::size_t i = 0; i < data.options.users; ++i) {
    user u;
    u.id = mint_id("US", ids, id_kind::user, i);
    u.first_name = build::pick(random, pools::first_names());
    u.last_name = build::pick(random, pools::last_names());
    u.email = ascii_slug(u.first_name) + "." + ascii_slug(u.last_name) + std::to_string(i) +
              "@attackacrack.example";
    u.role = i == 0 ? "owner" : i < 3 ? "admin" : "member";
    // The owner came first; the team grew afterwards.
    u.created_ms =
        start + static_cast<std::int64_t>(i) * 20 * day_ms + between_ms(random, 0, day_ms);
    u.updated_ms = u.created_ms + between_ms(random, 0, 300 * day_ms);
    data.users.push_back(std::move(u));
  }
}

void add_numbers(dataset& data, std::uint64_t ids) {
  auto random = build::stream(data.options.seed, 0x504e);
  auto user_count = static_cast<user_ref>(data.users.size());
  for (std::size_t i = 0; i < data.options.numbers; ++i) {
    phone_number n;
    n.id = mint_id("PN", ids, id_kind::phone_number, i);
    n.group_id = mint_id("GR", ids, id_kind::org, i);
    n.number =
        "+1" + std::string(build::pick(random, pools::area_codes())) + "555019" + std::to_string(i);
    n.name = pools::number_names()[i % pools::number_names().size()];
    // Each number has an owner; most are shared with one or two teammates.
    auto owner = static_cast<user_ref>(static_cast<user_ref>(i) % user_count);
    n.users.push_back(owner);
    int teammates = std::min(random.between(0, 2), user_count - 1);
    for (int t = 1; t <= teammates; ++t)
      n.users.push_back(static_cast<user_ref>((owner + t) % user_count));
    n.created_ms = data.users[static_cast<std::size_t>(owner)].created_ms + day_ms;
    n.updated_ms = n.created_ms + between_ms(random, 0, 100 * day_ms);
    data.numbers.push_back(std::move(n));
  }
}

// Returns, for each contact, its primary number when it may appear in conversations; the
// others (about 8 %) and every second number never do, as in a real address book.
std::vector<std::string> add_contacts(dataset& data, std::uint64_t ids, external_numbers& numbers) {
  auto random = build::stream(data.options.seed, 0x4354);
  std::vector<std::string> conversable;
  std::int64_t start = data.options.end_ms - history_span_ms - 180 * day_ms;
  for (std::size_t i = 0; i < data.options.contacts; ++i) {
    contact c;
    auto field_id = [&](std::uint64_t k) {
      return mint_id("", ids, id_kind::contact, (1ULL << 40) + i * 8 + k).substr(0, 24);
    };
    c.id = mint_id("", ids, id_kind::contact, i).substr(0, 24);
    c.first_name = build::pick(random, pools::first_names());
    c.last_name = build::pick(random, pools::last_names());
    if (random.chance(0.4))
      c.company = build::pick(random, pools::companies());
    if (random.chance(0.3))
      c.role = build::pick(random, pools::contact_roles());
    c.phone_numbers.push_back({"mobile", numbers.next(), field_id(0)});
    if (random.chance(0.25))
      c.phone_numbers.push_back(
          {random.chance(0.5) ? "work" : "home", numbers.next(), field_id(1)});
    if (random.chance(0.7))
      c.emails.push_back({"work",
                          ascii_slug(c.first_name) + "." + ascii_slug(c.last_name) +
                              std::to_string(i) + "@example.com",
                          field_id(2)});
    double source = random.unit();
    c.source = source < 0.7 ? "openphone" : source < 0.9 ? "csv" : "public-api";
    if (c.source == "public-api")
      c.external_id = "crm-" + std::to_string(10000 + i);
    c.created_by = static_cast<user_ref>(random.below(data.users.size()));
    c.created_ms = between_ms(random, start, data.options.end_ms - day_ms);
    c.updated_ms =
        random.chance(0.5) ? c.created_ms : between_ms(random, c.created_ms, data.options.end_ms);
    conversable.push_back(random.chance(0.08) ? std::string() : c.phone_numbers.front().value);
    data.contacts.push_back(std::move(c));
  }
  std::erase(conversable, std::string());
  return conversable;
}

// About 10 % are groups of 2–4 (messages only); the rest are one-to-one, unique per pair of our
// number and theirs. Most parties are contacts; the rest are numbers nobody saved.
void add_conversations(dataset& data, std::uint64_t ids, external_numbers& numbers,
                       const std::vector<std::string>& conversable) {
  auto random = build::stream(data.options.seed, 0x434e);
  std::map<std::string_view, const contact*> by_number;
  for (const auto& c : data.contacts)
    by_number.emplace(c.phone_numbers.front().value, &c);
  std::set<std::pair<std::size_t, std::vector<std::string>>> taken;
  auto party = [&] {
    return !conversable.empty() && random.chance(0.88) ? random.pick(conversable) : numbers.next();
  };
  std::int64_t start = data.options.end_ms - history_span_ms;
  for (std::size_t i = 0; i < data.options.conversations; ++i) {
    conversation c;
    c.id = mint_id("CN", ids, id_kind::conversation, i);
    c.phone_number = random.below(data.numbers.size());
    // The first is always one-to-one, so calls always have a conversation to go to.
    bool group = i > 0 && random.chance(0.1);
    std::size_t size = group ? static_cast<std::size_t>(random.between(2, 4)) : 1;
    for (int attempt = 0;; ++attempt) {
      std::set<std::string> parties;
      while (parties.size() < size)
        parties.insert(attempt < 8 ? party() : numbers.next());
      c.participants.assign(parties.begin(), parties.end());
      if (taken.insert({c.phone_number, c.participants}).second)
        break;
    }
    if (group)
      c.name = random.chance(0.4) ? std::string(build::pick(random, pools::group_names())) : "";
    else if (auto known = by_number.find(c.participants.front()); known != by_number.end())
      c.name = known->second->first_name + " " + known->second->last_name;
    c.created_ms = between_ms(random, start, data.options.end_ms - 3600 * 1000);
    c.updated_ms = c.last_activity_ms = c.created_ms;
    data.conversations.push_back(std::move(c));
  }
}

}  // namespace

void validate(const dataset_options& o) {
  auto check = [](bool ok, const char* what) {
    if (!ok)
      throw std::invalid_argument(what);
  };
  check(o.numbers >= 1 && o.numbers <= 10, "--numbers wants 1 to 10");
  check(o.users >= 1 && o.users <= 100, "--users wants 1 to 100");
  check(o.contacts <= 50000, "--contacts wants 0 to 50000");
  check(o.conversations >= 1 && o.conversations <= 50000, "--conversations wants 1 to 50000");
  check(o.messages <= 10'000'000, "--messages wants 0 to 10000000");
  check(o.calls <= 2'000'000, "--calls wants 0 to 2000000");
}

std::string_view to_string(direction d) {
  return d == direction::incoming ? "incoming" : "outgoing";
}

std::string_view dataset::user_id(user_ref u) const {
  return u == no_user ? std::string_view()
                      : std::string_view(users[static_cast<std::size_t>(u)].id);
}

std::string_view dataset::from(const message& m) const {
  const auto& c = conversation_of(m);
  return m.dir == direction::outgoing ? std::string_view(number_of(c).number)
                                      : std::string_view(c.participants[m.sender]);
}

std::vector<std::string_view> dataset::to(const message& m) const {
  const auto& c = conversation_of(m);
  std::vector<std::string_view> out;
  if (m.dir == direction::incoming)
    out.emplace_back(number_of(c).number);
  for (std::size_t i = 0; i < c.participants.size(); ++i)
    if (m.dir == direction::outgoing || i != m.sender)
      out.emplace_back(c.participants[i]);
  return out;
}

std::string_view dataset::participant(const call& c) const {
  return conversation_of(c).participants.front();
}

dataset make_dataset(const dataset_options& options) {
  validate(options);
  dataset data;
  data.options = options;
  auto ids = build::id_seed(options.seed);
  external_numbers numbers(options.seed);
  add_users(data, ids);
  add_numbers(data, ids);
  auto conversable = add_contacts(data, ids, numbers);
  add_conversations(data, ids, numbers, conversable);
  build::add_messages(data);
  build::add_calls(data);
  build::finish_conversations(data);
  return data;
}

dataset_totals totals(const dataset& data) {
  dataset_totals t;
  t.phone_numbers = data.numbers.size();
  t.users = data.users.size();
  t.contacts = data.contacts.size();
  t.conversations = data.conversations.size();
  for (const auto& c : data.conversations)
    t.group_conversations += c.participants.size() > 1 ? 1 : 0;
  t.messages = data.messages.size();
  for (const auto& m : data.messages) {
    t.mms_messages += m.media.empty() ? 0 : 1;
    t.media += m.media.size();
  }
  t.calls = data.calls.size();
  for (const auto& c : data.calls)
    t.answered_calls += c.answered() ? 1 : 0;
  t.recordings = data.recordings.size();
  t.summaries = data.summaries.size();
  t.transcripts = data.transcripts.size();
  t.voicemails = data.voicemails.size();
  return t;
}

}  // namespace crmd::openphone_emulator::rest
