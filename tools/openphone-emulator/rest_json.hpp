#pragma once

#include "tools/openphone-emulator/dataset.hpp"

#include <nlohmann/json.hpp>

// Dataset objects as the REST API returns them (openphone-api.md §5, "Objects"). An end-to-end
// test can use these to see exactly what an importer was given.
namespace crmd::openphone_emulator::rest {

nlohmann::json to_json(const dataset& data, const phone_number& n);
nlohmann::json to_json(const dataset& data, const user& u);
nlohmann::json to_json(const dataset& data, const contact& c);
nlohmann::json to_json(const dataset& data, const conversation& c);
// v1 has no media and no conversationId; the dated surface adds media[]{url,type}.
nlohmann::json to_json(const dataset& data, const message& m, bool with_media);
nlohmann::json to_json(const dataset& data, const call& c);
nlohmann::json to_json(const dataset& data, const recording& r);
nlohmann::json to_json(const dataset& data, const summary& s);
nlohmann::json to_json(const dataset& data, const transcript& t);
nlohmann::json to_json(const dataset& data, const voicemail& v);

// {"phone_numbers":…, "messages":…, …}: what serve mode reports at start.
nlohmann::json to_json(const dataset_totals& totals);

}  // namespace crmd::openphone_emulator::rest
