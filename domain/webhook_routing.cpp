#include "domain/webhook_routing.hpp"

namespace crmd::domain {

namespace {

struct key_of {
  std::string operator()(const activity_change& change) const {
    if (change.participants.empty())
      return "call:" + change.openphone_id;
    std::string key = "conversation:";
    key += change.phone_number_id.value_or(change.our_number.value_or(""));
    key += '|';
    for (std::size_t i = 0; i < change.participants.size(); ++i) {
      if (i > 0)
        key += ',';
      key += change.participants[i];
    }
    return key;
  }
  std::string operator()(const contact_change& change) const {
    return "contact:" + change.openphone_id;
  }
  std::string operator()(const contact_removal& removal) const {
    return "contact:" + removal.openphone_id;
  }
};

struct locks_of {
  std::vector<std::string> operator()(const activity_change& change) const {
    std::vector<std::string> names{"activity:" + change.openphone_id};
    for (const auto& party : change.participants)
      names.push_back("number:" + party);
    return names;
  }
  std::vector<std::string> operator()(const contact_change& change) const {
    std::vector<std::string> names{"contact:" + change.openphone_id};
    for (const auto& number : change.phone_numbers)
      names.push_back("number:" + number);
    return names;
  }
  std::vector<std::string> operator()(const contact_removal& removal) const {
    return {"contact:" + removal.openphone_id};
  }
};

}  // namespace

std::vector<std::string> lock_names(const webhook_event& event) {
  return std::visit(locks_of{}, event.change);
}

std::string routing_key(const webhook_event& event) {
  return std::visit(key_of{}, event.change);
}

}  // namespace crmd::domain
