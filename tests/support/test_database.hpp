#pragma once

#include <string>
#include <string_view>

namespace crmd::testing {

// A fresh, empty database on the test cluster (CRM_TEST_DATABASE_URL, an admin URL whose user may
// CREATE DATABASE), named after the suite and this process; dropped on destruction. Throws when
// the variable is unset: an integration test never silently skips.
class test_database {
 public:
  explicit test_database(std::string_view suite);
  ~test_database();
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // Runs SQL on this database with a blocking connection (test code only); throws on error.
  void exec(const std::string& sql) const;
  // First column of the first row of a query, or "" for NULL / no rows; throws on error.
  std::string scalar(const std::string& sql) const;

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

// CRM_TEST_DATABASE_URL with its database name replaced.
std::string url_with_database(const std::string& url, const std::string& database);

}  // namespace crmd::testing
