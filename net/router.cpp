#include "net/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace crmd::net {

namespace {

bool is_capture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// "/" -> {""}, "/a/b" -> {"a","b"}, "/a/" -> {"a",""}: empty segments are kept so that matching
// stays exact, trailing slash included.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::string_view rest = path.substr(1);
  while (true) {
    std::size_t slash = rest.find('/');
    segments.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos)
      return segments;
    rest = rest.substr(slash + 1);
  }
}

// Literal segments earlier in the pattern rank higher, so overlapping patterns resolve the same
// way regardless of registration order.
std::vector<bool> specificity(const std::vector<std::string>& segments) {
  std::vector<bool> literal;
  literal.reserve(segments.size());
  for (const auto& segment : segments)
    literal.push_back(!is_capture(segment));
  return literal;
}

bool same_shape(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return is_capture(x) ? is_capture(y) : x == y;
  });
}

std::vector<std::string> parse_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  std::vector<std::string> segments;
  for (auto segment : split_path(pattern)) {
    if (segment.find_first_of("{}") != std::string_view::npos && !is_capture(segment))
      throw std::invalid_argument("malformed capture in route pattern: " + std::string(pattern));
    segments.emplace_back(segment);
  }
  return segments;
}

// Fills `params` with the captures when `pattern` matches the path's segments.
bool match_segments(const std::vector<std::string>& pattern,
                    const std::vector<std::string_view>& segments,
                    std::map<std::string, std::string>& params) {
  if (pattern.size() != segments.size())
    return false;
  params.clear();
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& expected = pattern[i];
    if (!is_capture(expected)) {
      if (expected != segments[i])
        return false;
    } else if (segments[i].empty()) {
      return false;
    } else {
      params.emplace(expected.substr(1, expected.size() - 2), segments[i]);
    }
  }
  return true;
}

}  // namespace

void router::add_websocket(std::string pattern, std::string name, ws_handler h) {
  ws_route r{parse_pattern(pattern), std::move(name), std::move(h)};
  for (const auto& existing : ws_routes_) {
    if (same_shape(existing.segments, r.segments))
      throw std::invalid_argument("duplicate websocket route: " + pattern);
  }
  ws_routes_.push_back(std::move(r));
}

router::ws_match_result router::match_websocket(std::string_view path) const {
  ws_match_result result;
  if (path.empty() || path.front() != '/')
    return result;
  auto segments = split_path(path);
  const ws_route* best = nullptr;
  std::vector<bool> best_rank;
  std::map<std::string, std::string> params;
  for (const auto& r : ws_routes_) {
    if (!match_segments(r.segments, segments, params))
      continue;
    auto rank = specificity(r.segments);
    if (best == nullptr || rank > best_rank) {
      best = &r;
      best_rank = std::move(rank);
      result.params = params;
    }
  }
  if (best != nullptr) {
    result.target = &best->h;
    result.route_name = best->name;
  }
  return result;
}

void router::add(std::string method, std::string pattern, std::string name, handler h) {
  route r{std::move(method), parse_pattern(pattern), std::move(name), std::move(h)};
  for (const auto& existing : routes_) {
    if (existing.method == r.method && same_shape(existing.segments, r.segments))
      throw std::invalid_argument("duplicate route: " + r.method + " " + pattern);
  }
  routes_.push_back(std::move(r));
}

router::match_result router::match(std::string_view method, std::string_view path) const {
  match_result result;
  if (path.empty() || path.front() != '/') {
    result.route_name = "not_found";
    return result;
  }
  auto segments = split_path(path);
  const route* best = nullptr;
  std::vector<bool> best_rank;
  bool best_exact_method = false;
  std::map<std::string, std::string> params;

  for (const auto& r : routes_) {
    if (!match_segments(r.segments, segments, params))
      continue;
    if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), r.method) ==
        result.allowed_methods.end())
      result.allowed_methods.push_back(r.method);

    bool exact_method = r.method == method;
    bool head_fallback = method == "HEAD" && r.method == "GET";
    if (!exact_method && !head_fallback)
      continue;
    auto rank = specificity(r.segments);
    // An explicit HEAD route beats the GET fallback at equal specificity.
    if (best == nullptr || rank > best_rank ||
        (rank == best_rank && exact_method && !best_exact_method)) {
      best = &r;
      best_rank = std::move(rank);
      best_exact_method = exact_method;
      result.params = params;
    }
  }

  if (best != nullptr) {
    result.target = &best->h;
    result.route_name = best->name;
    result.allowed_methods.clear();
    return result;
  }
  if (result.allowed_methods.empty()) {
    result.route_name = "not_found";
    return result;
  }
  auto& allowed = result.allowed_methods;
  if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end() &&
      std::find(allowed.begin(), allowed.end(), "HEAD") == allowed.end())
    allowed.push_back("HEAD");
  result.route_name = "method_not_allowed";
  return result;
}

std::vector<router::route_info> router::describe() const {
  auto pattern_of = [](const std::vector<std::string>& segments) {
    std::string pattern;
    for (const auto& segment : segments)
      pattern += "/" + segment;
    return pattern.empty() ? std::string("/") : pattern;
  };
  std::vector<route_info> out;
  for (const auto& r : routes_)
    out.push_back({r.method, pattern_of(r.segments), r.name});
  for (const auto& r : ws_routes_)
    out.push_back({"GET", pattern_of(r.segments), r.name});
  return out;
}

}  // namespace crmd::net
