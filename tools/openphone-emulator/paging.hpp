#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// v1 pagination (openphone-api.md §4). A list is a fixed ordering of dataset indices (built once
// by dataset_index) narrowed to a range by binary search and by a filter; a page token carries
// the position of the next item, so a page costs O(page), not O(dataset).
namespace crmd::openphone_emulator::rest {

// What a pageToken says. `scope` hashes the list and its filters, so a token only continues
// the query that issued it; `total` is counted once, on the first page.
struct page_cursor {
  std::uint8_t list = 0;
  std::uint64_t scope = 0;
  std::uint32_t position = 0;  // index into the list's range of the next item
  std::uint32_t total = 0;
};

// Opaque: 50 hex digits, the last 16 a keyed check over the rest, so a changed token is refused
// rather than read.
std::string encode_page_token(const page_cursor& cursor, std::uint64_t secret);
std::optional<page_cursor> decode_page_token(std::string_view token, std::uint64_t secret);

// Folds filter values into a cursor scope.
class scope_hash {
 public:
  explicit scope_hash(std::uint8_t list);
  scope_hash& add(std::string_view text);
  scope_hash& add(std::int64_t value);
  std::uint64_t value() const { return value_; }

 private:
  std::uint64_t value_;
};

struct page_slice {
  std::vector<std::uint32_t> items;
  std::optional<std::uint32_t> next;  // position of the first item after the page, if any
};

// Up to `limit` items of `range` from `from` on that `keep` accepts. It looks ahead for the next
// accepted item, so the last page is known to be last (its nextPageToken is null).
template <typename Keep>
page_slice take_page(std::span<const std::uint32_t> range, std::size_t from, std::size_t limit,
                     Keep&& keep) {
  page_slice page;
  std::size_t i = from;
  for (; i < range.size() && page.items.size() < limit; ++i)
    if (keep(range[i]))
      page.items.push_back(range[i]);
  for (; i < range.size(); ++i)
    if (keep(range[i])) {
      page.next = static_cast<std::uint32_t>(i);
      break;
    }
  return page;
}

}  // namespace crmd::openphone_emulator::rest
