#include "domain/import_plan.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace crmd::domain {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 10> stage_names{
  "phone_numbers", "users",        "conversations",    "messages",
  "calls",         "call_details", "message_media",    "contact_matching",
  "conversation_metadata",         "verification"};

// What each resource is called in the provider totals and which database total it matches.
constexpr std::array<std::string_view, 11> verified_resources{
  "phone_numbers", "users",      "conversations", "messages",   "calls",    "recordings",
  "summaries",     "transcripts", "voicemails",   "mms_media",  "contacts"};

std::int64_t int_field(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::string with_thousands(std::int64_t value) {
  auto digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-')
      out += ',';
    out += digits[i];
  }
  return out;
}

std::string duration_text(double seconds) {
  auto total = static_cast<long long>(std::max(0.0, seconds));
  char buffer[32];
  if (total >= 3600)
    std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", total / 3600, total % 3600 / 60);
  else if (total >= 60)
    std::snprintf(buffer, sizeof buffer, "%lldm%02llds", total / 60, total % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%llds", total);
  return buffer;
}

}  // namespace

std::string_view stage_name(import_stage stage) {
  auto index = static_cast<std::size_t>(stage);
  return index < stage_names.size() ? stage_names[index] : std::string_view("done");
}

std::optional<import_stage> stage_from_name(std::string_view name) {
  for (std::size_t i = 0; i < stage_names.size(); ++i)
    if (stage_names[i] == name)
      return static_cast<import_stage>(i);
  return std::nullopt;
}

import_stage next_stage(import_stage stage) {
  return stage == import_stage::done ? stage : static_cast<import_stage>(static_cast<int>(stage) + 1);
}

bool is_worklist_stage(import_stage stage) {
  return stage == import_stage::messages || stage == import_stage::calls
         || stage == import_stage::call_details || stage == import_stage::message_media;
}

json to_json(const worklist_cursor& cursor) {
  json active = json::object();
  for (const auto& [id, token] : cursor.active)
    active[std::to_string(id)] = token ? json(*token) : json();
  return {{"next", cursor.next}, {"active", std::move(active)}};
}

worklist_cursor worklist_from_json(const json& value) {
  worklist_cursor cursor;
  if (!value.is_object())
    return cursor;
  cursor.next = int_field(value, "next");
  auto active = value.find("active");
  if (active == value.end() || !active->is_object())
    return cursor;
  for (const auto& [key, token] : active->items()) {
    char* end = nullptr;
    long long id = std::strtoll(key.c_str(), &end, 10);
    if (end == key.c_str() || *end != '\0')
      continue;
    cursor.active[id] = token.is_string() ? std::optional<std::string>(token.get<std::string>())
                                          : std::nullopt;
  }
  return cursor;
}

void import_progress::reject(const std::string& resource, const std::string& id,
                             const std::string& message) {
  ++resources[resource].rejected;
  if (rejections.size() < max_listed_rejections)
    rejections.push_back({{"resource", resource}, {"id", id}, {"message", message}});
}

json to_json(const import_progress& progress) {
  json resources = json::object();
  for (const auto& [name, counts] : progress.resources)
    resources[name] = {{"fetched", counts.fetched},
                       {"written", counts.written},
                       {"rejected", counts.rejected},
                       {"pages", counts.pages}};
  return {{"resources", std::move(resources)},
          {"requests", progress.requests},
          {"stage_done", progress.stage_done},
          {"stage_total", progress.stage_total},
          {"rejections", progress.rejections}};
}

import_progress progress_from_json(const json& value) {
  import_progress progress;
  if (!value.is_object())
    return progress;
  progress.requests = int_field(value, "requests");
  progress.stage_done = int_field(value, "stage_done");
  progress.stage_total = int_field(value, "stage_total");
  if (auto it = value.find("resources"); it != value.end() && it->is_object()) {
    for (const auto& [name, counts] : it->items()) {
      if (!counts.is_object())
        continue;
      progress.resources[name] = {int_field(counts, "fetched"), int_field(counts, "written"),
                                  int_field(counts, "rejected"), int_field(counts, "pages")};
    }
  }
  if (auto it = value.find("rejections"); it != value.end() && it->is_array())
    for (const auto& item : *it)
      if (item.is_object() && progress.rejections.size() < max_listed_rejections)
        progress.rejections.push_back(item);
  return progress;
}

json verification_report(const import_progress& progress, const json& database) {
  json resources = json::object();
  bool complete = true;
  std::int64_t rejected = 0;
  for (auto name : verified_resources) {
    std::string key(name);
    auto found = progress.resources.find(key);
    std::int64_t provider = found == progress.resources.end() ? 0 : found->second.fetched;
    std::int64_t held = database.is_object() ? int_field(database, key.c_str()) : 0;
    std::int64_t missing = std::max<std::int64_t>(0, provider - held);
    complete = complete && missing == 0;
    resources[key] = {{"provider", provider}, {"database", held}, {"missing", missing}};
  }
  for (const auto& [name, counts] : progress.resources)
    rejected += counts.rejected;
  return {{"resources", std::move(resources)},
          {"rejected", rejected},
          {"complete", complete && rejected == 0}};
}

std::string progress_line(import_stage stage, const import_progress& progress,
                          double elapsed_seconds, std::optional<double> stage_fraction,
                          std::optional<double> eta_seconds, int width) {
  auto stage_number = std::min<int>(static_cast<int>(stage) + 1, stage_names.size());
  std::string line = "[" + std::to_string(stage_number) + "/" + std::to_string(stage_names.size())
                     + " " + std::string(stage_name(stage)) + "]";
  if (stage_fraction) {
    constexpr int bar_width = 20;
    double fraction = std::clamp(*stage_fraction, 0.0, 1.0);
    int filled = static_cast<int>(std::lround(fraction * bar_width));
    line += " ";
    for (int i = 0; i < bar_width; ++i)
      line += i < filled ? "#" : ".";
    line += " " + std::to_string(static_cast<int>(fraction * 100)) + "%";
  }
  std::string counts;
  for (auto name : {"messages", "calls", "conversations", "contacts"}) {
    auto it = progress.resources.find(name);
    if (it != progress.resources.end() && it->second.fetched > 0)
      counts += std::string(counts.empty() ? "" : " ") + name + " "
                + with_thousands(it->second.fetched);
  }
  if (!counts.empty())
    line += " | " + counts;
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.1f req/s",
                elapsed_seconds > 0 ? static_cast<double>(progress.requests) / elapsed_seconds : 0);
  line += std::string(" | ") + rate;
  if (eta_seconds)
    line += " | ETA " + duration_text(*eta_seconds);
  if (width > 0 && static_cast<int>(line.size()) > width)
    line.resize(static_cast<std::size_t>(width));
  return line;
}

std::optional<std::string> normalize_since(std::string_view text) {
  auto digits = [&](std::size_t from, std::size_t count) {
    if (from + count > text.size())
      return -1;
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9')
        return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() < 10 || text[4] != '-' || text[7] != '-')
    return std::nullopt;
  int year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1)
    return std::nullopt;
  static constexpr int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > month_days[month - 1] || (month == 2 && day == 29 && !leap))
    return std::nullopt;
  if (text.size() == 10)
    return std::string(text) + "T00:00:00Z";
  // 2024-01-31T12:34:56Z or with fractional seconds.
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':'
      || text.back() != 'Z')
    return std::nullopt;
  int hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return std::nullopt;
  if (text.size() > 20) {
    if (text[19] != '.' || text.size() == 21)
      return std::nullopt;
    if (digits(20, text.size() - 21) < 0 || text.size() - 21 > 6)
      return std::nullopt;
  }
  return std::string(text);
}

}  // namespace crmd::domain
