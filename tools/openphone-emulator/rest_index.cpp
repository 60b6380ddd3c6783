#include "tools/openphone-emulator/rest_index.hpp"

#include <algorithm>

namespace crmd::openphone_emulator::rest {

namespace {

// Participant sets are keyed by their sorted numbers joined with commas.
std::string participants_key(std::vector<std::string> participants) {
  std::sort(participants.begin(), participants.end());
  participants.erase(std::unique(participants.begin(), participants.end()), participants.end());
  std::string key;
  for (const auto& p : participants)
    key += p + ",";
  return key;
}

template <typename Items>
std::vector<std::pair<std::string_view, std::uint32_t>> id_table_of(const Items& items) {
  std::vector<std::pair<std::string_view, std::uint32_t>> table;
  table.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i)
    table.emplace_back(items[i].id, static_cast<std::uint32_t>(i));
  std::sort(table.begin(), table.end());
  return table;
}

std::vector<std::uint32_t> iota(std::size_t count) {
  std::vector<std::uint32_t> out(count);
  for (std::size_t i = 0; i < count; ++i)
    out[i] = static_cast<std::uint32_t>(i);
  return out;
}

// Sorts indices of `items` by (time, id), ascending or descending.
template <typename Items, typename Time>
void order(std::vector<std::uint32_t>& indices, const Items& items, Time time, bool newest_first) {
  std::sort(indices.begin(), indices.end(), [&](std::uint32_t a, std::uint32_t b) {
    auto ka = std::make_pair(time(items[a]), std::string_view(items[a].id));
    auto kb = std::make_pair(time(items[b]), std::string_view(items[b].id));
    return newest_first ? kb < ka : ka < kb;
  });
}

}  // namespace

dataset_index::dataset_index(const dataset& data)
  : data_(data),
    user_ids_(id_table_of(data.users)),
    contact_ids_(id_table_of(data.contacts)),
    message_ids_(id_table_of(data.messages)),
    call_ids_(id_table_of(data.calls)),
    users_(iota(data.users.size())),
    contacts_(iota(data.contacts.size())),
    conversations_(iota(data.conversations.size())),
    conversations_by_number_(data.numbers.size()),
    messages_by_conversation_(data.conversations.size()),
    calls_by_conversation_(data.conversations.size()) {
  auto created = [](const auto& item) { return item.created_ms; };
  order(users_, data.users, created, false);
  order(contacts_, data.contacts, created, false);
  order(
      conversations_, data.conversations, [](const conversation& c) { return c.updated_ms; }, true);
  for (auto c : conversations_) {
    const auto& item = data.conversations[c];
    conversations_by_number_[item.phone_number].push_back(c);
    by_participants_.emplace(std::make_pair(item.phone_number, participants_key(item.participants)),
                             c);
  }
  for (std::size_t i = 0; i < data.messages.size(); ++i)
    messages_by_conversation_[data.messages[i].conversation].push_back(
        static_cast<std::uint32_t>(i));
  for (std::size_t i = 0; i < data.calls.size(); ++i)
    calls_by_conversation_[data.calls[i].conversation].push_back(static_cast<std::uint32_t>(i));
  for (auto& list : messages_by_conversation_)
    order(list, data.messages, created, true);
  for (auto& list : calls_by_conversation_)
    order(list, data.calls, created, true);
}

std::optional<std::uint32_t> dataset_index::find(const id_table& table, std::string_view id) {
  auto at =
      std::lower_bound(table.begin(), table.end(), id,
                       [](const auto& entry, std::string_view key) { return entry.first < key; });
  if (at == table.end() || at->first != id)
    return std::nullopt;
  return at->second;
}

std::optional<std::size_t> dataset_index::number_by_id(std::string_view id) const {
  for (std::size_t i = 0; i < data_.numbers.size(); ++i)
    if (data_.numbers[i].id == id)
      return i;
  return std::nullopt;
}

std::optional<std::size_t> dataset_index::number_by_e164(std::string_view e164) const {
  for (std::size_t i = 0; i < data_.numbers.size(); ++i)
    if (data_.numbers[i].number == e164)
      return i;
  return std::nullopt;
}

std::optional<std::uint32_t> dataset_index::user_by_id(std::string_view id) const {
  return find(user_ids_, id);
}

std::optional<std::uint32_t> dataset_index::contact_by_id(std::string_view id) const {
  return find(contact_ids_, id);
}

std::optional<std::uint32_t> dataset_index::message_by_id(std::string_view id) const {
  return find(message_ids_, id);
}

std::optional<std::uint32_t> dataset_index::call_by_id(std::string_view id) const {
  return find(call_ids_, id);
}

std::optional<std::uint32_t> dataset_index::conversation_with(
    std::size_t number, std::vector<std::string> participants) const {
  auto found = by_participants_.find({number, participants_key(std::move(participants))});
  if (found == by_participants_.end())
    return std::nullopt;
  return found->second;
}

}  // namespace crmd::openphone_emulator::rest
