#include "domain/campaign/ab_assignment.hpp"

#include <algorithm>

namespace crmd::domain::campaign {

namespace {

constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

std::optional<existing_contact_rule> parse_existing_contact_rule(std::string_view text) {
  if (text == "ignore")
    return existing_contact_rule::ignore;
  if (text == "flag_for_review")
    return existing_contact_rule::flag_for_review;
  if (text == "adapt_script")
    return existing_contact_rule::adapt_script;
  return std::nullopt;
}

std::uint64_t ab_hash(std::int64_t campaign_id, std::int64_t contact_id) {
  // Hashing the campaign first keeps (1, 2) and (2, 1) apart, and a new campaign reshuffles who
  // gets which variant.
  return splitmix64(splitmix64(static_cast<std::uint64_t>(campaign_id)) ^
                    static_cast<std::uint64_t>(contact_id));
}

template_variant assign_variant(std::int64_t campaign_id, std::int64_t contact_id,
                                unsigned percent_a, bool existing_customer,
                                existing_contact_rule rule) {
  if (existing_customer && rule == existing_contact_rule::adapt_script)
    return template_variant::existing_customer;
  return ab_hash(campaign_id, contact_id) % 100 < std::min(percent_a, 100u) ? template_variant::a
                                                                             : template_variant::b;
}

}  // namespace crmd::domain::campaign
