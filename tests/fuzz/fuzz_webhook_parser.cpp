// libFuzzer target for the OpenPhone webhook body parser.
//
// Input: the raw request body, as OpenPhone would POST it.
// Properties:
//   - parse_webhook never crashes and never throws (an escaping exception aborts the run);
//   - a rejection carries one of the four stable codes and a message;
//   - an accepted event has a non-empty event_id; an activity change has a non-empty
//     openphone_id, E.164 participants that are sorted, unique and never our own number, and
//     E.164 from/to numbers; a contact change has an id and E.164 phone numbers;
//   - whatever is accepted can be serialised again (the transcript goes to a jsonb column).
#include "integrations/openphone/webhook_fields.hpp"
#include "integrations/openphone/webhook_parser.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <variant>

namespace {

namespace op = crmd::integrations::openphone;
namespace domain = crmd::domain;

void check(bool holds, const char* property) {
  if (holds)
    return;
  std::fprintf(stderr, "property violated: %s\n", property);
  std::abort();
}

void check_rejection(const domain::webhook_rejection& rejection) {
  using namespace op::rejection_code;
  check(rejection.code == invalid_json || rejection.code == missing_event_id ||
            rejection.code == unsupported_event_type || rejection.code == invalid_payload,
        "rejection codes are the stable four");
  check(!rejection.message.empty(), "a rejection says why");
}

void check_activity(const domain::activity_change& change, const op::parse_options& options) {
  check(!change.openphone_id.empty(), "an activity has its provider id");
  check(change.activity_type == "call" || change.activity_type == "message",
        "activity type is call or message");
  const auto& parties = change.participants;
  check(std::is_sorted(parties.begin(), parties.end()), "participants are sorted");
  check(std::adjacent_find(parties.begin(), parties.end()) == parties.end(),
        "participants are unique");
  for (const auto& number : parties) {
    check(op::is_e164(number), "participants are E.164");
    check(number != change.our_number, "our number is not a participant");
    check(std::find(options.our_numbers.begin(), options.our_numbers.end(), number) ==
              options.our_numbers.end(),
          "none of our numbers is a participant");
  }
  for (const auto& number : change.to_numbers)
    check(op::is_e164(number), "to numbers are E.164");
  if (change.from_number)
    check(op::is_e164(*change.from_number), "from number is E.164");
  if (change.ai_transcript)
    check(!change.ai_transcript->dump().empty(), "the transcript serialises");
}

void check_event(const domain::webhook_event& event, const op::parse_options& options) {
  check(!event.event_id.empty(), "an event has its id");
  if (const auto* change = std::get_if<domain::activity_change>(&event.change)) {
    check_activity(*change, options);
  } else if (const auto* contact = std::get_if<domain::contact_change>(&event.change)) {
    check(!contact->openphone_id.empty(), "a contact has its id");
    for (const auto& number : contact->phone_numbers)
      check(op::is_e164(number), "contact numbers are E.164");
  } else {
    check(!std::get<domain::contact_removal>(event.change).openphone_id.empty(),
          "a removal names the contact");
  }
}

void check_parse(std::string_view body, const op::parse_options& options) {
  auto result = op::parse_webhook(body, options);
  if (const auto* event = std::get_if<domain::webhook_event>(&result))
    check_event(*event, options);
  else
    check_rejection(std::get<domain::webhook_rejection>(result));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  check_parse(body, {});
  check_parse(body, {{"+15085550199"}});
  return 0;
}
