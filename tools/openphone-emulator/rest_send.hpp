#pragma once

#include "tools/openphone-emulator/dataset.hpp"
#include "tools/openphone-emulator/rest_types.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// POST /v1/messages (openphone-api.md §3 "Send body"): the one write the emulator takes. Pure:
// the body and a freshly minted id in, the accepted text or the provider's 400 out.
namespace crmd::openphone_emulator::rest {

struct accepted_text {
  std::string id;               // AC…
  std::string phone_number_id;  // PN…
  std::string from;             // our E.164
  std::vector<std::string> to;  // E.164, 1–10 (2+ is a group message)
  std::string content;
  std::string user_id;  // empty when the body named none
  std::int64_t created_ms = 0;
};

// `from` may be a PN id or an E.164 number. A number of the dataset resolves to its pair; any
// other well-formed one is taken as one of ours (crmd's tests seed worlds of their own), its
// missing half derived from it so both are stable.
std::variant<accepted_text, rest_response> accept_text(const dataset& data, std::string_view body,
                                                       std::string id, std::int64_t now_ms);

// 202 {"data": Message} with status "sent".
rest_response accepted_response(const accepted_text& text);

// One line of GET /_emulator/sent.
nlohmann::json sent_entry(const accepted_text& text);

}  // namespace crmd::openphone_emulator::rest
