#pragma once

#include "domain/webhook_event.hpp"

#include <nlohmann/json.hpp>

// Domain changes as the JSON objects the apply functions of storage/migrations/V003 take: keys
// are the columns a change sets; a key is absent when the change says nothing about it, so the
// stored value stays. Pure.
namespace crmd::storage {

nlohmann::json activity_change_json(const domain::activity_change& change);

nlohmann::json contact_change_json(const domain::contact_change& change);

}  // namespace crmd::storage
