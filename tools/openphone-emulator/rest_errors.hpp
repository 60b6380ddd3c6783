#pragma once

#include "tools/openphone-emulator/rest_types.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

// OpenPhone's error bodies (openphone-api.md §3, §9) and the JSON success wrapper.
namespace crmd::openphone_emulator::rest {

// The two-digit resource part of an error code.
enum class resource : std::uint8_t {
  none = 0,
  calls = 1,
  messages = 2,
  phone_numbers = 4,
  summaries = 5,
  transcripts = 6,
  contacts = 8,
  recordings = 9,
  conversations = 10,
  users = 11,
  voicemails = 12,  // not in the published list; a guess that keeps codes 7 characters
};

// The flat envelope {message, code, status, docs, title}; code = resource, variant, status.
rest_response error_response(unsigned status, resource r, std::string message, int variant = 0,
                             std::string title = {});

// 400 0101400: /v1/calls takes one participant.
rest_response too_many_participants();

// The live API's 401: {"error":{"message":"Unauthorized","key":"Unauthorized","trace":…}}.
rest_response unauthorized(std::uint64_t trace);

// The dated surface's shape {title, message, docs}.
rest_response dated_error(unsigned status, std::string message);

rest_response json_response(const nlohmann::json& body);

}  // namespace crmd::openphone_emulator::rest
