// libFuzzer target for the OpenPhone REST response mappers (integrations/openphone/rest_*).
//
// Input: a raw response body, as OpenPhone's REST API would send it. Every input is read as each
// kind of list page, as each single-object response, and as an error body.
// Properties:
//   - no mapper crashes or throws (an escaping exception aborts the run);
//   - a page either fails as a whole with a reason, or accounts for every item of `data`: each is
//     either mapped or reported as an item error with a message, at its own index;
//   - a next-page token is never empty (an empty one would repeat the first page forever);
//   - a mapped activity has its AC id and type, E.164 participants that are sorted, unique and
//     never our number, and E.164 from/to; call content names its call; a contact has its id
//     and E.164 numbers; records have their ids, numbers are E.164, participants sorted;
//   - a failed single mapping says why.
#include "integrations/openphone/rest_activities.hpp"
#include "integrations/openphone/rest_call_content.hpp"
#include "integrations/openphone/rest_contacts.hpp"
#include "integrations/openphone/rest_directory.hpp"
#include "integrations/openphone/rest_envelope.hpp"
#include "integrations/openphone/webhook_fields.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

namespace op = crmd::integrations::openphone;
namespace domain = crmd::domain;
using nlohmann::json;

const std::string ours = "+15085550199";
const op::rest_options options{.our_numbers = {{"PN1", ours}}};

void check(bool holds, const char* property) {
  if (holds)
    return;
  std::fprintf(stderr, "property violated: %s\n", property);
  std::abort();
}

void check_sorted_e164(const std::vector<std::string>& numbers) {
  check(std::is_sorted(numbers.begin(), numbers.end()), "participants are sorted");
  check(std::adjacent_find(numbers.begin(), numbers.end()) == numbers.end(),
        "participants are unique");
  for (const auto& number : numbers)
    check(op::is_e164(number), "participants are E.164");
}

void check_activity(const domain::activity_change& change) {
  check(!change.openphone_id.empty(), "an activity has its provider id");
  check(change.activity_type == "call" || change.activity_type == "message",
        "activity type is call or message");
  check_sorted_e164(change.participants);
  for (const auto& number : change.participants)
    check(number != ours && number != change.our_number, "our number is not a participant");
  for (const auto& number : change.to_numbers)
    check(op::is_e164(number), "to numbers are E.164");
  if (change.from_number)
    check(op::is_e164(*change.from_number), "from number is E.164");
  for (const auto& item : change.media)
    check(!item.url.empty(), "media have urls");
  if (change.ai_transcript)
    check(!change.ai_transcript->dump().empty(), "the transcript serialises");
}

void check_contact(const domain::contact_change& change) {
  check(!change.openphone_id.empty(), "a contact has its id");
  for (const auto& number : change.phone_numbers)
    check(op::is_e164(number), "contact numbers are E.164");
}

void check_record(const domain::openphone_phone_number& record) {
  check(!record.openphone_id.empty() && op::is_e164(record.number), "phone number record");
}

void check_record(const domain::openphone_user& record) {
  check(!record.openphone_id.empty(), "a user has its id");
}

void check_record(const domain::openphone_conversation& record) {
  check(!record.openphone_id.empty() && !record.phone_number_id.empty(), "conversation ids");
  check(!record.participants.empty(), "a conversation has participants");
  check_sorted_e164(record.participants);
}

template <class T, class Check>
void check_page(const op::rest_page<T>& page, std::string_view body, Check&& each) {
  if (!page.ok()) {
    check(page.items.empty() && page.item_errors.empty(), "a failed page carries nothing");
    return;
  }
  if (page.next_page_token)
    check(!page.next_page_token->empty(), "a next-page token is never empty");
  auto list = op::read_list(body);
  check(list.ok(), "a page that mapped has a readable envelope");
  check(page.items.size() + page.item_errors.size() == list.value->data.size(),
        "every item is mapped or reported");
  std::size_t previous = 0;
  for (std::size_t i = 0; i < page.item_errors.size(); ++i) {
    const auto& error = page.item_errors[i];
    check(!error.message.empty(), "an item error says why");
    check(error.index < list.value->data.size(), "an item error points into data");
    check(i == 0 || error.index > previous, "item errors are in order");
    previous = error.index;
  }
  for (const auto& item : page.items)
    each(item);
}

template <class T, class Check>
void check_single(const op::rest_mapped<T>& mapped, Check&& each) {
  if (mapped.ok())
    each(*mapped.value);
  else
    check(!mapped.error.empty(), "a failed mapping says why");
}

void check_pages(std::string_view body) {
  auto record = [](const auto& value) { check_record(value); };
  check_page(op::map_message_page(body, options), body, check_activity);
  check_page(op::map_call_page(body, options), body, check_activity);
  check_page(op::map_contact_page(body), body, check_contact);
  check_page(op::map_phone_number_page(body), body, record);
  check_page(op::map_user_page(body), body, record);
  check_page(op::map_conversation_page(body), body, record);
}

void check_singles(std::string_view body) {
  auto data = op::read_single(body);
  if (!data.ok()) {
    check(!data.error.empty(), "an unreadable single response says why");
    return;
  }
  const json& object = *data.value;
  check_single(op::map_message(object, options), check_activity);
  check_single(op::map_call(object, options), check_activity);
  check_single(op::map_contact(object), check_contact);
  check_single(op::map_summary(object), check_activity);
  check_single(op::map_transcript(object), check_activity);
  check_single(op::map_voicemail("AC1", object), [](const domain::openphone_voicemail& v) {
    check(v.call_id == "AC1", "a voicemail names its call");
    check_activity(op::voicemail_change(v));
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  check_pages(body);
  check_singles(body);
  check_single(op::map_recordings_response("AC1", body), check_activity);
  op::read_error(body).summary();
  return 0;
}
