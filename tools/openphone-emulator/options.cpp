#include "tools/openphone-emulator/options.hpp"

#include "tools/openphone-emulator/signer.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace crmd::openphone_emulator {

namespace {

template <typename T>
T number(const std::string& flag, const std::string& text, T low, T high) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high)
    throw std::invalid_argument(flag + " wants a number from " + std::to_string(low) + " to " +
                                std::to_string(high) + ", not '" + text + "'");
  return value;
}

version_mix version_mix_from(const std::string& text) {
  if (text == "v3")
    return version_mix::v3;
  if (text == "v4")
    return version_mix::v4;
  if (text == "mixed")
    return version_mix::mixed;
  throw std::invalid_argument("--api-version wants v3, v4 or mixed");
}

// A share of requests, 0 to 1.
double share(const std::string& flag, const std::string& text) {
  double value = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !(value >= 0 && value <= 1))
    throw std::invalid_argument(flag + " wants a share from 0 to 1, not '" + text + "'");
  return value;
}

// HOST:PORT, the host possibly in [brackets] for IPv6.
void set_listen(serve_options& o, const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw std::invalid_argument("--listen wants HOST:PORT, not '" + text + "'");
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  o.host = host;
  o.port = number<std::uint16_t>("--listen port", text.substr(colon + 1), 0, 65535);
}

bool is_switch(const std::string& name) {
  return name == "--help" || name == "--load" || name == "--dry-run" || name == "--serve";
}

void set_switch(options& o, const std::string& name) {
  if (name == "--help")
    o.help = true;
  else if (name == "--load")
    o.load = true;
  else if (name == "--serve")
    o.serve = true;
  else
    o.dry_run = true;
}

constexpr std::string_view value_flags[] = {
    "--url",           "--key",          "--seed",        "--start-time", "--scenario",
    "--scenario-file", "--events",       "--concurrency", "--repeat",     "--api-version",
    "--retry-for",     "--timeout",      "--stale-by",    "--acked-out",  "--expect-out",
    "--duration",      "--database-url", "--crmd-pid",    "--settle",     "--listen",
    "--threads",       "--api-key",      "--numbers",     "--users",      "--contacts",
    "--conversations", "--messages",     "--calls",       "--rate-limit", "--fail-rate",
    "--slow-rate",     "--slow-ms",      "--drop-rate",   "--media-base", "--webhooks-to",
    "--send-drop-rate", "--rate"};

bool takes_value(const std::string& name) {
  return std::find(std::begin(value_flags), std::end(value_flags), name) != std::end(value_flags);
}

// `name` is one of value_flags and belongs to --serve. Sizes are checked against the dataset's
// limits when it is made.
void set_serve_value(serve_options& o, const std::string& name, const std::string& v) {
  constexpr std::size_t most = 100'000'000;
  if (name == "--listen")
    set_listen(o, v);
  else if (name == "--threads")
    o.threads = number(name, v, 1, 64);
  else if (name == "--api-key")
    o.api_key = v;
  else if (name == "--numbers")
    o.numbers = number<std::size_t>(name, v, 1, most);
  else if (name == "--users")
    o.users = number<std::size_t>(name, v, 1, most);
  else if (name == "--contacts")
    o.contacts = number<std::size_t>(name, v, 0, most);
  else if (name == "--conversations")
    o.conversations = number<std::size_t>(name, v, 1, most);
  else if (name == "--messages")
    o.messages = number<std::size_t>(name, v, 0, most);
  else if (name == "--calls")
    o.calls = number<std::size_t>(name, v, 0, most);
  else if (name == "--rate-limit")
    o.rate_limit = number(name, v, 0, 1'000'000);
  else if (name == "--fail-rate")
    o.fail_rate = share(name, v);
  else if (name == "--slow-rate")
    o.slow_rate = share(name, v);
  else if (name == "--slow-ms")
    o.slow_ms = number(name, v, 0, 3'600'000);
  else if (name == "--drop-rate")
    o.drop_rate = share(name, v);
  else if (name == "--send-drop-rate")
    o.send_drop_rate = share(name, v);
  else if (name == "--media-base")
    o.media_base = v;
  else if (name == "--webhooks-to")
    o.webhooks_to = v;
}

// `name` is one of value_flags.
void set_value(options& o, const std::string& name, const std::string& v) {
  constexpr std::int64_t year_9999_ms = 253402300799999;
  if (name == "--url")
    o.url = v;
  else if (name == "--key")
    o.key = v;
  else if (name == "--seed")
    o.seed = number<std::uint64_t>(name, v, 0, UINT64_MAX);
  else if (name == "--start-time")
    o.start_time_ms = number<std::int64_t>(name, v, 0, year_9999_ms);
  else if (name == "--scenario")
    o.scenario = v;
  else if (name == "--scenario-file")
    o.scenario_file = v;
  else if (name == "--events")
    o.events = number<std::size_t>(name, v, 1, 10'000'000);
  else if (name == "--concurrency")
    o.concurrency = number(name, v, 1, 1024);
  else if (name == "--repeat")
    o.repeat = number(name, v, 1, 100);
  else if (name == "--api-version")
    o.versions = version_mix_from(v);
  else if (name == "--retry-for")
    o.retry_for_s = number(name, v, 0, 86400);
  else if (name == "--timeout")
    o.timeout_ms = number(name, v, 1, 600000);
  else if (name == "--stale-by")
    o.stale_by_s = number(name, v, 1, 86400 * 365);
  else if (name == "--acked-out")
    o.acked_out = v;
  else if (name == "--expect-out")
    o.expect_out = v;
  else if (name == "--duration")
    o.duration_s = number(name, v, 1, 86400);
  else if (name == "--rate")
    o.rate = number(name, v, 0, 1000000);
  else if (name == "--database-url")
    o.database_url = v;
  else if (name == "--crmd-pid")
    o.crmd_pid = number(name, v, 1, 1 << 30);
  else if (name == "--settle")
    o.settle_s = number(name, v, 0, 3600);
  else
    set_serve_value(o.rest, name, v);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

}  // namespace

options parse_options(const std::vector<std::string>& args) {
  options parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> value;
    if (auto equals = name.find('='); name.starts_with("--") && equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    }
    if (is_switch(name)) {
      if (value)
        throw std::invalid_argument(name + " takes no value");
      set_switch(parsed, name);
      continue;
    }
    if (!takes_value(name))
      throw std::invalid_argument("unknown option " + name + " (see --help)");
    if (!value && i + 1 == args.size())
      throw std::invalid_argument(name + " needs a value");
    set_value(parsed, name, value ? *value : args[++i]);
  }
  if (!parsed.scenario_file.empty() && parsed.load)
    throw std::invalid_argument("--load and --scenario-file do not mix");
  if (parsed.serve && (parsed.load || parsed.dry_run || !parsed.scenario_file.empty()))
    throw std::invalid_argument("--serve does not mix with --load, --dry-run or --scenario-file");
  if (parsed.serve && (!parsed.rest.api_key || parsed.rest.api_key->empty()))
    throw std::invalid_argument("--serve needs --api-key");
  const auto& r = parsed.rest;
  if (r.fail_rate + r.slow_rate + r.drop_rate > 1)
    throw std::invalid_argument("--fail-rate, --slow-rate and --drop-rate add up to more than 1");
  return parsed;
}

std::string resolve_key(const std::optional<std::string>& flag, const char* env_keys) {
  if (flag)
    return *flag;
  if (env_keys != nullptr) {
    std::string_view keys = env_keys;
    auto first = trim(keys.substr(0, keys.find(',')));
    if (!first.empty())
      return std::string(first);
  }
  return std::string(reference_test_key);
}

std::string usage() {
  return R"(openphone-emulator: signed OpenPhone webhook deliveries for crmd
(details: tools/openphone-emulator/README.md)

Scenario mode (default):
  --scenario NAME        burst (default) | duplicates | out-of-order | retries |
                         bad-signatures | stale
  --scenario-file PATH   a JSON list of explicit events instead of a named scenario
  --events N             distinct events to generate (1000)
  --repeat N             duplicates: copies of each event (3)
  --concurrency N        connections (64)
  --retry-for S          retry budget per delivery, and longest time without any answer (120)
  --stale-by S           stale: how old the signature timestamp is (600)
  --acked-out FILE       one line per 2xx: event_id<TAB>status<TAB>compact body
  --expect-out FILE      JSON: the event, activity and contact ids the run sends
  --dry-run              print the deliveries as JSON lines instead of sending them
Load mode:
  --load                 distinct events continuously; prints rate, latency, lag, RSS
  --duration S           (30)
  --rate N               offer N events/s in all, latency counted from each event's
                         scheduled time (0: as fast as crmd answers; the default)
  --database-url URL     measure apply lag from crmd's webhook_events afterwards
  --settle S             longest wait for crmd to drain the backlog before measuring (30)
  --crmd-pid PID         sample crmd's VmRSS at start, every 5 s and at the end
Serve mode (the REST API v1 over a generated dataset):
  --serve                answer OpenPhone REST requests until SIGTERM/SIGINT; prints
                         {"event":"listening","port":N} once bound
  --api-key KEY          the Authorization value every request must carry (required)
  --listen HOST:PORT     (127.0.0.1:0 = an ephemeral port)
  --threads N            (1)
  --numbers N --users N --contacts N --conversations N --messages N --calls N
                         dataset sizes (3, 5, 1000, 3000, 100000, 20000)
  --rate-limit N         requests per second per key, then 429 (10; 0 = unlimited)
  --fail-rate P          share answered 500 or 503 (0)
  --slow-rate P          share answered only after --slow-ms (0)
  --slow-ms MS           (15000)
  --drop-rate P          share cut off halfway through the body (0)
  --send-drop-rate P     share of accepted sends whose answer is cut off (0)
  --media-base URL       prefix of media URLs (https://files.openphone.example); give this
                         server's own http://HOST:PORT to have it serve /r/, /v/ and /m/ files
Scenario and load modes (--seed also picks the serve dataset):
  --url URL              (http://127.0.0.1:8080/webhooks/openphone)
  --key BASE64           signing secret (default: first of $CRM_OPENPHONE_WEBHOOK_KEYS, else
                         the reference test secret)
  --seed N               world, ids, payloads and the dataset follow from it (default: the clock)
  --start-time MS        unix ms of the first activity (scenario default: now - 3 s per event)
  --api-version V        v3 | v4 | mixed (mixed)
  --timeout MS           per HTTP exchange (10000)
Exit: 0 every delivery answered as expected (load: all 2xx; serve: stopped by a signal),
1 otherwise, 2 usage error.
)";
}

}  // namespace crmd::openphone_emulator
