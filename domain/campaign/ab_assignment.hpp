#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

// Which template a campaign member gets. Deterministic from (campaign id, contact id) alone, so a
// restarted runner, a second process or a report recomputes the same variant without storing it
// first.
namespace crmd::domain::campaign {

enum class template_variant : std::uint8_t { a, b, existing_customer };

// campaigns.on_existing_contact
enum class existing_contact_rule : std::uint8_t { ignore, flag_for_review, adapt_script };

std::optional<existing_contact_rule> parse_existing_contact_rule(std::string_view text);

// SplitMix64's finalizer (Steele, Lea, Flood 2014; java.util.SplittableRandom) over the campaign
// id mixed with the contact id: fixed constants and 64-bit unsigned arithmetic only, so the
// value is the same on every platform and build, and never changes across releases.
std::uint64_t ab_hash(std::int64_t campaign_id, std::int64_t contact_id);

// `percent_a` (clamped to 0..100) of contacts get A, the rest B. An existing customer gets the
// third template instead when the rule is adapt_script.
template_variant assign_variant(std::int64_t campaign_id, std::int64_t contact_id,
                                unsigned percent_a, bool existing_customer,
                                existing_contact_rule rule);

}  // namespace crmd::domain::campaign
