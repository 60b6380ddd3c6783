#pragma once

#include "integrations/openphone/rest_envelope.hpp"

#include <string>
#include <string_view>
#include <vector>

// POST /v1/messages (openphone-api.md §3): the request body and the accepted message's id.
namespace crmd::integrations::openphone {

struct text_to_send {
  std::string content;             // 1–1600 characters
  std::string from;                // our phone number's id (PN…) or E.164
  std::vector<std::string> to;     // E.164; two or more make a group message
  std::string user_id;             // the sending teammate's US… id, empty when unknown
};

std::string send_message_body(const text_to_send& text);

struct sent_message {
  std::string id;      // AC…
  std::string status;  // a status the schema knows; "queued" when the provider named none we know
};

// The 202 answer's `{"data": Message}`.
rest_mapped<sent_message> read_sent_message(std::string_view body);

}  // namespace crmd::integrations::openphone
