#include "storage/pg_conninfo.hpp"

#include <boost/asio/ip/address.hpp>
#include <libpq-fe.h>

#include <memory>

namespace crmd::storage::detail {

namespace {

bool needs_dns(const std::string& host) {
  if (host.empty() || host.find(',') != std::string::npos || host[0] == '/' || host[0] == '@')
    return false;
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return static_cast<bool>(ec);
}

void set(conninfo_params& params, const std::string& keyword, const std::string& value) {
  for (std::size_t i = 0; i < params.keywords.size(); ++i) {
    if (params.keywords[i] == keyword) {
      params.values[i] = value;
      return;
    }
  }
  params.keywords.push_back(keyword);
  params.values.push_back(value);
}

}  // namespace

std::variant<conninfo_params, std::string> parse_conninfo(const std::string& conninfo) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
    PQconninfoParse(conninfo.c_str(), &error), &PQconninfoFree);
  if (!options) {
    std::string message = error == nullptr ? "out of memory" : error;
    PQfreemem(error);
    while (!message.empty() && message.back() == '\n')
      message.pop_back();
    return message;
  }
  conninfo_params params;
  std::string host;
  bool has_hostaddr = false;
  for (auto* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr)
      continue;
    params.keywords.emplace_back(option->keyword);
    params.values.emplace_back(option->val);
    std::string_view keyword = option->keyword;
    if (keyword == "host")
      host = option->val;
    else if (keyword == "hostaddr")
      has_hostaddr = *option->val != '\0';
    else if (keyword == "port")
      params.port = option->val;
  }
  if (!has_hostaddr && needs_dns(host))
    params.resolve_host = host;
  if (params.port.empty() || params.port.find(',') != std::string::npos)
    params.port = "5432";
  return params;
}

void add_session_settings(conninfo_params& params) {
  constexpr std::string_view settings = "-c jit=off";
  for (std::size_t i = 0; i < params.keywords.size(); ++i) {
    if (params.keywords[i] == "options") {
      params.values[i] += params.values[i].empty() ? "" : " ";
      params.values[i] += settings;
      return;
    }
  }
  set(params, "options", std::string(settings));
}

void pin_addresses(conninfo_params& params, const std::vector<std::string>& addresses) {
  std::string hosts;
  std::string hostaddrs;
  for (const auto& address : addresses) {
    hosts += (hosts.empty() ? "" : ",") + params.resolve_host;
    hostaddrs += (hostaddrs.empty() ? "" : ",") + address;
  }
  set(params, "host", hosts);
  set(params, "hostaddr", hostaddrs);
  params.resolve_host.clear();
}

}  // namespace crmd::storage::detail
