#include "storage/pg_types.hpp"

namespace crmd::storage {

statement statement::text(std::string sql, std::vector<pg_value> params) {
  return statement{std::move(sql), false, std::move(params)};
}

statement statement::named(std::string name, std::vector<pg_value> params) {
  return statement{std::move(name), true, std::move(params)};
}

int pg_result::column(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name)
      return static_cast<int>(i);
  return -1;
}

}  // namespace crmd::storage
