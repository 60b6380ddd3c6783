#pragma once

// The smallest valid environment for config::load, plus one variable under test.

#include <map>
#include <string>

namespace crmd::config::testing {

inline std::map<std::string, std::string> with(const std::string& key, const std::string& value) {
  return {{"CRM_DATABASE_URL", "postgresql://crmd@127.0.0.1:5432/crmd"}, {key, value}};
}

}  // namespace crmd::config::testing
