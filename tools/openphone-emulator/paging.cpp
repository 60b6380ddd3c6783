#include "tools/openphone-emulator/paging.hpp"

#include "tools/openphone-emulator/world.hpp"

#include <array>

namespace crmd::openphone_emulator::rest {

namespace {

constexpr std::size_t payload_bytes = 1 + 8 + 4 + 4;
constexpr std::size_t token_chars = 2 * (payload_bytes + 8);

using payload = std::array<std::uint8_t, payload_bytes>;

template <typename T>
void put(payload& bytes, std::size_t& at, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i)
    bytes[at++] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(value) >> (8 * i));
}

template <typename T>
T get(const payload& bytes, std::size_t& at) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i)
    value |= static_cast<std::uint64_t>(bytes[at++]) << (8 * i);
  return static_cast<T>(value);
}

std::uint64_t check(const payload& bytes, std::uint64_t secret) {
  std::uint64_t h = mix64(secret ^ 0x544f4b454eULL);
  for (auto b : bytes)
    h = mix64(h ^ b);
  return h;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string encode_page_token(const page_cursor& cursor, std::uint64_t secret) {
  payload bytes{};
  std::size_t at = 0;
  put(bytes, at, cursor.list);
  put(bytes, at, cursor.scope);
  put(bytes, at, cursor.position);
  put(bytes, at, cursor.total);
  static constexpr char digits[] = "0123456789abcdef";
  std::string token;
  token.reserve(token_chars);
  for (auto b : bytes) {
    token += digits[b >> 4];
    token += digits[b & 15];
  }
  std::uint64_t sum = check(bytes, secret);
  for (int shift = 60; shift >= 0; shift -= 4)
    token += digits[(sum >> shift) & 15];
  return token;
}

std::optional<page_cursor> decode_page_token(std::string_view token, std::uint64_t secret) {
  if (token.size() != token_chars)
    return std::nullopt;
  payload bytes{};
  for (std::size_t i = 0; i < payload_bytes; ++i) {
    int high = hex_value(token[2 * i]);
    int low = hex_value(token[2 * i + 1]);
    if (high < 0 || low < 0)
      return std::nullopt;
    bytes[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  std::uint64_t sum = 0;
  for (std::size_t i = 2 * payload_bytes; i < token_chars; ++i) {
    int digit = hex_value(token[i]);
    if (digit < 0)
      return std::nullopt;
    sum = (sum << 4) | static_cast<std::uint64_t>(digit);
  }
  if (sum != check(bytes, secret))
    return std::nullopt;
  page_cursor cursor;
  std::size_t at = 0;
  cursor.list = get<std::uint8_t>(bytes, at);
  cursor.scope = get<std::uint64_t>(bytes, at);
  cursor.position = get<std::uint32_t>(bytes, at);
  cursor.total = get<std::uint32_t>(bytes, at);
  return cursor;
}

scope_hash::scope_hash(std::uint8_t list) : value_(mix64(0x53434f5045ULL ^ list)) {}

scope_hash& scope_hash::add(std::string_view text) {
  value_ = mix64(value_ ^ text.size());
  for (unsigned char c : text)
    value_ = mix64(value_ ^ c);
  return *this;
}

scope_hash& scope_hash::add(std::int64_t value) {
  value_ = mix64(value_ ^ static_cast<std::uint64_t>(value));
  return *this;
}

}  // namespace crmd::openphone_emulator::rest
