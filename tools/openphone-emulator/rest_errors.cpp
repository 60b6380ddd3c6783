#include "tools/openphone-emulator/rest_errors.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace crmd::openphone_emulator::rest {

namespace {

constexpr std::string_view docs_url = "https://www.openphone.com/docs/mdx/api-reference/errors";

std::string title_of(unsigned status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

}  // namespace

rest_response error_response(unsigned status, resource r, std::string message, int variant,
                             std::string title) {
  char code[16];
  std::snprintf(code, sizeof code, "%02u%02d%03u", static_cast<unsigned>(r) % 100, variant % 100,
                status % 1000);
  nlohmann::json body{{"message", std::move(message)},
                      {"code", code},
                      {"status", status},
                      {"docs", docs_url},
                      {"title", title.empty() ? title_of(status) : std::move(title)}};
  return {status, body.dump(), {}};
}

rest_response too_many_participants() {
  return error_response(400, resource::calls, "participants takes exactly one phone number", 1,
                        "Too Many Participants");
}

rest_response unauthorized(std::uint64_t trace) {
  nlohmann::json body{{"error",
                       {{"message", "Unauthorized"},
                        {"key", "Unauthorized"},
                        {"trace", std::to_string(trace % 10'000'000'000'000ULL)}}}};
  return {401, body.dump(), {}};
}

rest_response dated_error(unsigned status, std::string message) {
  nlohmann::json body{
      {"title", title_of(status)}, {"message", std::move(message)}, {"docs", docs_url}};
  return {status, body.dump(), {}};
}

rest_response json_response(const nlohmann::json& body) {
  // Texts are valid UTF-8 by construction; replace keeps a bad byte from throwing anyway.
  return {200, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), {}};
}

}  // namespace crmd::openphone_emulator::rest
