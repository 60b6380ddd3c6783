#include "tools/openphone-emulator/dataset_text.hpp"

#include <array>

namespace crmd::openphone_emulator::rest::pools {

namespace {

constexpr std::array<std::string_view, 32> message_pool{
    "Hi, is Tuesday at 10 still OK for the inspection?",
    "Thanks! 👍",
    "Can you send the invoice again? I can't find it.",
    "We noticed a crack in the basement wall — can someone take a look?",
    "Running 10 min late, sorry",
    "Photo of the damage attached",
    "Yes, please book it.",
    "Quote looks good, approved.",
    "Who is this?",
    "Gate code is 4471#\nPark on the left side",
    "He said \"tomorrow morning\" works for him",
    "Café order for Friday: 12 × croissants",
    "Can we move it to next week?",
    "Got it, see you then.",
    "What's the total with tax?",
    "Please call me back when you can 🙏",
    "The crack got wider after the storm 😬\nIs that normal?",
    "Water in the basement again 💧💧",
    "Do you offer a warranty on the epoxy injection?",
    "Our crew will arrive between 8 and 9 a.m. 🚚",
    "Reminder: your appointment is tomorrow at 2:00 PM.\nReply C to confirm.",
    "Payment received — thank you! 🧾",
    "Can you text me the address for the office?",
    "Señora García asked if Saturday works",
    "The tenant at unit 3B will let you in 🔑",
    "Is the $450 estimate still valid?",
    "OK",
    "👍",
    "Here is the second photo, the corner by the stairs",
    "Thanks for the quick fix! Five stars ⭐⭐⭐⭐⭐",
    "Could you email the report to Zoë as well?",
    "Line 1\nLine 2\n\nLine 4 after a blank line"};

constexpr std::array<std::string_view, 8> summary_pool{
    "Caller reported water seeping through a foundation crack after heavy rain.",
    "Discussed the quote and the two repair options; the customer prefers the epoxy injection.",
    "Customer asked to reschedule the site visit to later in the week.",
    "Confirmed the invoice amount and the payment date.",
    "Caller is a property manager with three buildings that need an inspection.",
    "The technician explained the warranty terms.",
    "Customer was unhappy with the delay and asked for a discount.",
    "Agreed to send photos of the wall before the visit."};

constexpr std::array<std::string_view, 6> next_step_pool{
    "Send the revised quote by email.",        "Book the site visit for Thursday morning.",
    "Follow up on the payment next Monday.",   "Ask the technician to call the customer back.",
    "Add the second property to the account.", "Share the warranty PDF."};

constexpr std::array<std::string_view, 10> dialogue_pool{
    "Hi, thanks for calling, how can I help?",
    "I have a crack in my basement wall and it leaks when it rains.",
    "How long has it been like that?",
    "A couple of months, it is getting worse.",
    "We can send someone out this week.",
    "Thursday morning would be best.",
    "Great, I'll put you down for nine.",
    "How much will the inspection cost?",
    "The inspection itself is free.",
    "Perfect, thank you!"};

constexpr std::array<std::string_view, 6> voicemail_pool{
    "Hi, this is about the crack in my foundation, please call me back.",
    "Hello, I'm calling to confirm tomorrow's appointment. Thanks!",
    "Hey it's me again — the water is back in the basement. Call me when you can.",
    "This is the property manager for 12 Oak Street; we need a quote for two units.",
    "Hi, I got your invoice, I have a question about the second line item.",
    ""};

constexpr std::array<std::string_view, 16> first_name_pool{
    "Maria", "James", "Aisha",  "Wei",   "Olivia", "Mateo", "Priya", "Liam",
    "Chloé", "Noah",  "Fatima", "Ethan", "Sofia",  "Lucas", "Zoë",   "Daniel"};

constexpr std::array<std::string_view, 14> last_name_pool{
    "Garcia", "Smith",  "Okafor",  "Chen",     "O'Brien", "Rossi", "Patel",
    "Müller", "Nguyen", "Johnson", "Kowalski", "Haddad",  "Silva", "Brown"};

constexpr std::array<std::string_view, 6> company_pool{
    "Harbor Realty",           "Greenfield Builders",     "Oak & Stone LLC",
    "Bay State Property Mgmt", "Summit Home Inspections", "Northside Landscaping"};

constexpr std::array<std::string_view, 4> role_pool{"Homeowner", "Property manager", "Tenant",
                                                    "Contractor"};

constexpr std::array<std::string_view, 5> group_name_pool{"Oak St. duplex", "Harbor Realty team",
                                                          "Garcia family 🏠", "Summit job #12",
                                                          "Landlord + tenant"};

constexpr std::array<std::string_view, 4> number_name_pool{"Main line", "Sales", "Crew dispatch",
                                                           "Billing"};

constexpr std::array<std::string_view, 20> area_code_pool{
    "508", "617", "781", "978", "413", "212", "312", "415", "720", "512",
    "339", "774", "857", "401", "603", "860", "207", "802", "646", "929"};

}  // namespace

std::span<const std::string_view> message_texts() {
  return message_pool;
}
std::span<const std::string_view> summary_lines() {
  return summary_pool;
}
std::span<const std::string_view> next_step_lines() {
  return next_step_pool;
}
std::span<const std::string_view> dialogue_texts() {
  return dialogue_pool;
}
std::span<const std::string_view> voicemail_texts() {
  return voicemail_pool;
}
std::span<const std::string_view> first_names() {
  return first_name_pool;
}
std::span<const std::string_view> last_names() {
  return last_name_pool;
}
std::span<const std::string_view> companies() {
  return company_pool;
}
std::span<const std::string_view> contact_roles() {
  return role_pool;
}
std::span<const std::string_view> group_names() {
  return group_name_pool;
}
std::span<const std::string_view> number_names() {
  return number_name_pool;
}
std::span<const std::string_view> area_codes() {
  return area_code_pool;
}

}  // namespace crmd::openphone_emulator::rest::pools
