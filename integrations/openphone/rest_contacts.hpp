#pragma once

#include "domain/webhook_event.hpp"
#include "integrations/openphone/rest_envelope.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

// OpenPhone REST contacts (GET /v1/contacts, /v1/contacts/{id}) → domain::contact_change, the
// same change a contact.updated webhook makes.
namespace crmd::integrations::openphone {

// id, defaultFields {firstName, lastName, company, phoneNumbers[{value}], emails[{value}]},
// updatedAt. Phone numbers people typed that are not E.164 are left out, not refused: the
// contact is still worth importing, and the webhook mapper drops them the same way.
rest_mapped<domain::contact_change> map_contact(const nlohmann::json& item);

rest_page<domain::contact_change> map_contact_page(std::string_view body);

}  // namespace crmd::integrations::openphone
