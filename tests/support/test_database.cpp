#include "tests/support/test_database.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <unistd.h>

namespace crmd::testing {

namespace {

using conn_ptr = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using result_ptr = std::unique_ptr<PGresult, decltype(&PQclear)>;

conn_ptr connect(const std::string& url) {
  conn_ptr conn(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK)
    throw std::runtime_error("cannot connect to " + url + ": " + PQerrorMessage(conn.get()));
  return conn;
}

result_ptr run(PGconn* conn, const std::string& sql) {
  result_ptr res(PQexec(conn, sql.c_str()), &PQclear);
  auto status = PQresultStatus(res.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw std::runtime_error("SQL failed: " + sql + ": " + PQerrorMessage(conn));
  return res;
}

std::string sanitize(std::string_view text) {
  std::string out;
  for (char c : text)
    out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c))
                                                               : '_');
  return out.substr(0, 40);
}

}  // namespace

std::string url_with_database(const std::string& url, const std::string& database) {
  auto scheme_end = url.find("://");
  auto slash = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (slash == std::string::npos)
    return url + "/" + database;
  auto query = url.find('?', slash);
  return url.substr(0, slash + 1) + database
         + (query == std::string::npos ? std::string{} : url.substr(query));
}

test_database::test_database(std::string_view suite) {
  const char* admin = std::getenv("CRM_TEST_DATABASE_URL");
  if (admin == nullptr || *admin == '\0')
    throw std::runtime_error("CRM_TEST_DATABASE_URL is not set; run the tests through scripts/test");
  admin_url_ = url_with_database(admin, "postgres");
  name_ = "t_" + sanitize(suite) + "_" + std::to_string(getpid());
  url_ = url_with_database(admin, name_);
  auto conn = connect(admin_url_);
  run(conn.get(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  run(conn.get(), "CREATE DATABASE " + name_);
}

test_database::~test_database() {
  try {
    auto conn = connect(admin_url_);
    run(conn.get(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The cluster may already be gone at the end of a run; scripts/test discards it anyway.
  }
}

void test_database::exec(const std::string& sql) const {
  auto conn = connect(url_);
  run(conn.get(), sql);
}

std::string test_database::scalar(const std::string& sql) const {
  auto conn = connect(url_);
  auto res = run(conn.get(), sql);
  if (PQntuples(res.get()) == 0 || PQgetisnull(res.get(), 0, 0))
    return {};
  return PQgetvalue(res.get(), 0, 0);
}

}  // namespace crmd::testing
