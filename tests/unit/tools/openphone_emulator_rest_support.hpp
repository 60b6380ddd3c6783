#pragma once

// Shared by the REST emulator's unit tests: a small dataset, and a client that sends requests
// straight into rest_service (no sockets) on a clock the test moves.
#include "tools/openphone-emulator/dataset.hpp"
#include "tools/openphone-emulator/rest_service.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace crmd::openphone_emulator::rest {

inline constexpr std::string_view test_api_key = "test-key";

inline dataset_options small_options(std::uint64_t seed) {
  return {.seed = seed,
          .numbers = 2,
          .users = 4,
          .contacts = 60,
          .conversations = 80,
          .messages = 900,
          .calls = 200};
}

struct reply {
  unsigned status = 0;
  nlohmann::json body;
  std::vector<std::pair<std::string, std::string>> headers;
  injection injected = injection::none;

  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [key, value] : headers)
      if (key == name)
        return value;
    return std::nullopt;
  }
};

class direct_client {
 public:
  explicit direct_client(rest_service& service) : service_(service) {}

  reply get(const std::string& target, std::optional<std::string> key = std::string(test_api_key),
            std::optional<std::string> version = std::nullopt) {
    auto outcome = service_.handle({"GET", target, std::move(key), std::move(version)}, now_ns,
                                   1'700'000'000'000 + now_ns / 1'000'000);
    return {outcome.response.status, nlohmann::json::parse(outcome.response.body),
            outcome.response.headers, outcome.injected};
  }

  // Follows nextPageToken from `target` (which has a query already) until it is null. Checks
  // that every page is full but the last and reports the same totalItems.
  std::vector<nlohmann::json> walk(const std::string& target, std::size_t page_size) {
    std::vector<nlohmann::json> items;
    std::optional<std::string> token;
    std::optional<std::uint64_t> total;
    for (int pages = 0; pages < 100000; ++pages) {
      auto r = get(target + "&maxResults=" + std::to_string(page_size) +
                   (token ? "&pageToken=" + *token : ""));
      EXPECT_EQ(r.status, 200u) << target << ": " << r.body.dump();
      if (r.status != 200)
        break;
      auto count = r.body["data"].size();
      if (total) {
        EXPECT_EQ(*total, r.body["totalItems"].get<std::uint64_t>());
      }
      total = r.body["totalItems"].get<std::uint64_t>();
      for (auto& item : r.body["data"])
        items.push_back(item);
      if (r.body["nextPageToken"].is_null())
        break;
      EXPECT_EQ(count, page_size) << "only the last page may be short";
      token = r.body["nextPageToken"].get<std::string>();
    }
    if (total) {
      EXPECT_EQ(items.size(), *total) << target;
    }
    return items;
  }

  std::int64_t now_ns = 1'000'000'000;

 private:
  rest_service& service_;
};

inline std::set<std::string> ids_of(const std::vector<nlohmann::json>& items) {
  std::set<std::string> ids;
  for (const auto& item : items)
    ids.insert(item["id"].get<std::string>());
  return ids;
}

// "+1…" → "%2B1…", as a client must send it.
inline std::string encoded(std::string_view e164) {
  return "%2B" + std::string(e164.substr(1));
}

}  // namespace crmd::openphone_emulator::rest
