#pragma once

#include <span>
#include <string_view>

// The fixed texts the REST dataset draws from. They live in static storage, so the dataset's
// 100,000 messages can hold views instead of copies. Some carry emoji, quotes, newlines and
// accented letters, so an importer's JSON and database handling of them is exercised.
namespace crmd::openphone_emulator::rest::pools {

std::span<const std::string_view> message_texts();
std::span<const std::string_view> summary_lines();
std::span<const std::string_view> next_step_lines();
std::span<const std::string_view> dialogue_texts();
std::span<const std::string_view> voicemail_texts();
std::span<const std::string_view> first_names();
std::span<const std::string_view> last_names();
std::span<const std::string_view> companies();
std::span<const std::string_view> contact_roles();
std::span<const std::string_view> group_names();
std::span<const std::string_view> number_names();
std::span<const std::string_view> area_codes();

}  // namespace crmd::openphone_emulator::rest::pools
