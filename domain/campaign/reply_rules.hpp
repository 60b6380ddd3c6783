#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// The rules-first pass over a reply to a campaign text. Rules only decide what is unmistakable
// (a carrier opt-out word, a bare "yes" or "no thanks", "wrong number" anywhere); everything else
// is left to the language model, so a rule never overrules a customer's actual sentence.
namespace crmd::domain::campaign {

enum class reply_verdict : std::uint8_t { positive, negative, undecided };

struct reply_classification {
  reply_verdict verdict;
  // The rule that matched ("opt-out keyword STOP", "reply is 'yes'"); empty when undecided.
  std::string reason;
};

reply_classification classify_reply(std::string_view body);

}  // namespace crmd::domain::campaign
