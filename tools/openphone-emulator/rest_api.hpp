#pragma once

#include "tools/openphone-emulator/dataset.hpp"
#include "tools/openphone-emulator/rest_index.hpp"
#include "tools/openphone-emulator/rest_query.hpp"
#include "tools/openphone-emulator/rest_types.hpp"

#include <cstdint>
#include <string_view>

// The read-only endpoints of OpenPhone's REST API over a dataset (openphone-api.md §4, §5). Pure:
// a request's path and query in, a response out; authentication, rate limiting and failure
// injection happen before, in rest_service.
namespace crmd::openphone_emulator::rest {

class rest_api {
 public:
  // `token_secret` keys the page tokens' check.
  rest_api(const dataset& data, std::uint64_t token_secret);

  // GET /v1/…; `path` is decoded and has no query.
  rest_response get_v1(std::string_view path, const query_params& query) const;
  // GET /messages/{id} of the 2026-03-30 surface: the message with its media[].
  rest_response get_dated_message(std::string_view id) const;

  const dataset& data() const { return data_; }

 private:
  rest_response phone_numbers(const query_params& query) const;
  rest_response users(const query_params& query) const;
  rest_response contacts(const query_params& query) const;
  rest_response conversations(const query_params& query) const;
  rest_response activities(const query_params& query, bool calls) const;
  rest_response one(std::string_view collection, std::string_view id) const;
  rest_response follow_up(std::string_view collection, std::string_view call_id) const;

  const dataset& data_;
  dataset_index index_;
  std::uint64_t secret_;
};

}  // namespace crmd::openphone_emulator::rest
