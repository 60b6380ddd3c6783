#pragma once

#include "tools/openphone-emulator/dataset.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The lookups and orderings the REST endpoints need, built once: ids → indices, (number,
// participants) → conversation, and each list's fixed order, newest first where OpenPhone says
// so, with the id breaking ties so pages are stable.
namespace crmd::openphone_emulator::rest {

class dataset_index {
 public:
  explicit dataset_index(const dataset& data);

  std::optional<std::size_t> number_by_id(std::string_view id) const;
  std::optional<std::size_t> number_by_e164(std::string_view e164) const;
  std::optional<std::uint32_t> user_by_id(std::string_view id) const;
  std::optional<std::uint32_t> contact_by_id(std::string_view id) const;
  std::optional<std::uint32_t> message_by_id(std::string_view id) const;
  std::optional<std::uint32_t> call_by_id(std::string_view id) const;
  // The conversation of our number `number` with exactly these external numbers (any order).
  std::optional<std::uint32_t> conversation_with(std::size_t number,
                                                 std::vector<std::string> participants) const;

  // Oldest first (createdAt, then id).
  std::span<const std::uint32_t> users() const { return users_; }
  std::span<const std::uint32_t> contacts() const { return contacts_; }
  // Newest first (updatedAt, then id, descending): all, or those of one of our numbers.
  std::span<const std::uint32_t> conversations() const { return conversations_; }
  std::span<const std::uint32_t> conversations_of(std::size_t number) const {
    return conversations_by_number_[number];
  }
  // Newest first (createdAt, then id, descending).
  std::span<const std::uint32_t> messages_of(std::uint32_t conversation) const {
    return messages_by_conversation_[conversation];
  }
  std::span<const std::uint32_t> calls_of(std::uint32_t conversation) const {
    return calls_by_conversation_[conversation];
  }

 private:
  // Sorted by id; a binary search is enough and costs 24 bytes an entry.
  using id_table = std::vector<std::pair<std::string_view, std::uint32_t>>;
  static std::optional<std::uint32_t> find(const id_table& table, std::string_view id);

  const dataset& data_;
  id_table user_ids_;
  id_table contact_ids_;
  id_table message_ids_;
  id_table call_ids_;
  std::map<std::pair<std::size_t, std::string>, std::uint32_t> by_participants_;
  std::vector<std::uint32_t> users_;
  std::vector<std::uint32_t> contacts_;
  std::vector<std::uint32_t> conversations_;
  std::vector<std::vector<std::uint32_t>> conversations_by_number_;
  std::vector<std::vector<std::uint32_t>> messages_by_conversation_;
  std::vector<std::vector<std::uint32_t>> calls_by_conversation_;
};

}  // namespace crmd::openphone_emulator::rest
