#include "storage/pg_connection.hpp"

#include "observability/log.hpp"

#include <algorithm>
#include <cstdlib>
#include <unistd.h>

namespace crmd::storage::detail {

namespace {

using result_ptr = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string trim_end(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\t'))
    text.pop_back();
  return text;
}

std::string error_field(const PGresult* res, int field) {
  const char* value = PQresultErrorField(res, field);
  return value == nullptr ? std::string{} : std::string(value);
}

pg_result to_result(const PGresult* res) {
  pg_result out;
  int columns = PQnfields(res);
  int rows = PQntuples(res);
  out.columns.reserve(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c)
    out.columns.emplace_back(PQfname(res, c));
  out.rows.reserve(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    auto& row = out.rows.emplace_back();
    row.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(res, r, c))
        row.emplace_back(std::nullopt);
      else
        row.emplace_back(std::string(PQgetvalue(res, r, c),
                                     static_cast<std::size_t>(PQgetlength(res, r, c))));
    }
  }
  const char* affected = PQcmdTuples(const_cast<PGresult*>(res));
  out.affected_rows = *affected == '\0' ? 0 : std::strtoll(affected, nullptr, 10);
  return out;
}

pg_error to_error(const PGresult* res) {
  pg_error error{"query_failed", error_field(res, PG_DIAG_SQLSTATE),
                 error_field(res, PG_DIAG_MESSAGE_PRIMARY)};
  if (error.message.empty())
    error.message = trim_end(PQresultErrorMessage(res));
  return error;
}

}  // namespace

pg_connection::pg_connection(pool_strand strand, int index, const query_catalog& catalog,
                             listener events)
  : strand_(std::move(strand)),
    index_(index),
    catalog_(catalog),
    events_(std::move(events)),
    resolver_(strand_),
    socket_(strand_),
    deadline_(strand_) {}

pg_connection::~pg_connection() {
  shutdown();
}

void pg_connection::connect(const std::string& conninfo, std::chrono::milliseconds timeout) {
  auto parsed = parse_conninfo(conninfo);
  if (auto* message = std::get_if<std::string>(&parsed))
    return fail(*message);
  params_ = std::move(std::get<conninfo_params>(parsed));
  add_session_settings(params_);
  phase_ = phase::connecting;
  // libpq leaves connect_timeout to the caller in non-blocking mode; a silent server or a dropped
  // SYN would otherwise keep this connection "connecting" for minutes. Covers DNS and preparing.
  deadline_.expires_after(timeout);
  deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec && (self->phase_ == phase::connecting || self->phase_ == phase::preparing))
      self->fail("connecting timed out");
  });
  if (params_.resolve_host.empty())
    return start_libpq();
  resolver_.async_resolve(
    params_.resolve_host, params_.port,
    [self = shared_from_this()](const boost::system::error_code& ec,
                                const boost::asio::ip::tcp::resolver::results_type& results) {
      self->on_resolved(ec, results);
    });
}

void pg_connection::on_resolved(const boost::system::error_code& ec,
                                const boost::asio::ip::tcp::resolver::results_type& results) {
  if (phase_ != phase::connecting || pg_ != nullptr)
    return;  // closed or timed out meanwhile
  if (ec)
    return fail("could not resolve host name \"" + params_.resolve_host + "\": " + ec.message());
  std::vector<std::string> addresses;
  for (const auto& entry : results) {
    auto address = entry.endpoint().address().to_string();
    if (std::find(addresses.begin(), addresses.end(), address) == addresses.end())
      addresses.push_back(std::move(address));
  }
  pin_addresses(params_, addresses);
  start_libpq();
}

void pg_connection::start_libpq() {
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (std::size_t i = 0; i < params_.keywords.size(); ++i) {
    keywords.push_back(params_.keywords[i].c_str());
    values.push_back(params_.values[i].c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  pg_ = PQconnectStartParams(keywords.data(), values.data(), 0);
  if (pg_ == nullptr)
    return fail("out of memory");
  if (PQstatus(pg_) == CONNECTION_BAD)
    return fail(error_message());
  PQsetNoticeReceiver(pg_, &pg_connection::receive_notice, this);
  // PQconnectPoll's contract: start as if it had returned PGRES_POLLING_WRITING.
  poll_ = PGRES_POLLING_WRITING;
  if (!attach_socket())
    return fail(error_message());
  await_io();
}

void pg_connection::poll_connect() {
  poll_ = PQconnectPoll(pg_);
  if (poll_ == PGRES_POLLING_OK)
    return on_connected();
  if (poll_ == PGRES_POLLING_FAILED)
    return fail(error_message());
  // libpq may have closed its socket and opened another (next address, SSL or GSS fallback).
  if (!attach_socket())
    return fail(error_message());
  await_io();
}

void pg_connection::on_connected() {
  if (PQsetnonblocking(pg_, 1) != 0 || PQenterPipelineMode(pg_) != 1 || !attach_socket())
    return fail(error_message());
  phase_ = phase::preparing;
  in_pipeline_ = true;
  result_index_ = 0;
  error_.reset();
  for (const auto& query : catalog_.queries)
    if (!PQsendPrepare(pg_, query.name.c_str(), query.sql.c_str(), 0, nullptr))
      return fail(error_message());
  if (!PQpipelineSync(pg_) || !flush())
    return fail(error_message());
  await_io();
}

void pg_connection::execute(const std::vector<statement>& batch) {
  in_pipeline_ = true;
  result_index_ = 0;
  results_.clear();
  results_.reserve(batch.size());
  error_.reset();
  std::vector<const char*> values;
  for (const auto& st : batch) {
    values.clear();
    for (const auto& param : st.params)
      values.push_back(param ? param->c_str() : nullptr);
    int count = static_cast<int>(values.size());
    int sent = st.prepared
                 ? PQsendQueryPrepared(pg_, st.sql_or_name.c_str(), count, values.data(), nullptr,
                                       nullptr, 0)
                 : PQsendQueryParams(pg_, st.sql_or_name.c_str(), count, nullptr, values.data(),
                                     nullptr, nullptr, 0);
    // The pool validated the batch, so a refusal means the connection itself is unusable; closing
    // it also discards the statements already queued, which were never synced, let alone committed.
    if (!sent)
      return fail(error_message());
  }
  if (!PQpipelineSync(pg_) || !flush())
    return fail(error_message());
  await_io();
}

void pg_connection::close() {
  shutdown();
  events_ = {};
}

int pg_connection::backend_pid() const {
  return pg_ == nullptr ? 0 : PQbackendPID(pg_);
}

void pg_connection::receive_notice(void* self, const PGresult* notice) {
  log::debug("pg_pool", "server notice",
             {{"connection", static_cast<pg_connection*>(self)->index_},
              {"sqlstate", error_field(notice, PG_DIAG_SQLSTATE)},
              {"message", error_field(notice, PG_DIAG_MESSAGE_PRIMARY)}});
}

// Asio watches a duplicate of libpq's descriptor, never libpq's own. Closing the duplicate leaves
// libpq's socket alone, and no number is ever deregistered after libpq has closed it: once libpq
// drops a socket (connection lost, or the next address during connect) its number can be reused
// at once by another thread's socket in the same epoll set, and a release() of that number would
// remove the other socket's registration.
bool pg_connection::attach_socket() {
  boost::system::error_code ignored;
  socket_.close(ignored);
  ++epoch_;
  read_waiting_ = false;
  write_waiting_ = false;
  int fd = PQsocket(pg_);
  if (fd < 0)
    return false;
  int copy = ::dup(fd);
  if (copy < 0)
    return false;
  boost::system::error_code ec;
  socket_.assign(copy, ec);
  if (ec) {
    ::close(copy);
    return false;
  }
  return true;
}

void pg_connection::await_io() {
  bool want_read = phase_ == phase::connecting ? poll_ == PGRES_POLLING_READING : true;
  bool want_write = phase_ == phase::connecting ? poll_ == PGRES_POLLING_WRITING : flushing_;
  auto wait = [this](bool write) {
    auto type = write ? boost::asio::posix::descriptor_base::wait_write
                      : boost::asio::posix::descriptor_base::wait_read;
    socket_.async_wait(type, [self = shared_from_this(), write,
                              epoch = epoch_](const boost::system::error_code& ec) {
      self->on_io(write, epoch, ec);
    });
  };
  // An idle connection keeps a read pending too, so a server-side disconnect is noticed at once.
  if (want_read && !read_waiting_) {
    read_waiting_ = true;
    wait(false);
  }
  if (want_write && !write_waiting_) {
    write_waiting_ = true;
    wait(true);
  }
}

void pg_connection::on_io(bool write, std::uint64_t epoch, const boost::system::error_code& ec) {
  if (epoch != epoch_ || phase_ == phase::closed)
    return;  // the socket was replaced or closed after this wait began
  (write ? write_waiting_ : read_waiting_) = false;
  if (ec)
    return fail("waiting on the socket failed: " + ec.message());
  if (phase_ == phase::connecting)
    return poll_connect();
  if (!write && !PQconsumeInput(pg_))
    return fail(error_message());
  if (flushing_ && !flush())
    return fail(error_message());
  bool was_in_pipeline = in_pipeline_;
  drain();
  if (PQstatus(pg_) == CONNECTION_BAD)
    return fail(error_message());
  if (was_in_pipeline && !in_pipeline_)
    return end_pipeline();
  await_io();
}

// PQflush returns 1 while libpq still holds output; the server may be waiting for us to read
// before it accepts more, so await_io() keeps both directions armed meanwhile.
bool pg_connection::flush() {
  int status = PQflush(pg_);
  flushing_ = status == 1;
  return status >= 0;
}

// Takes every result libpq can hand over without blocking, up to the batch's PIPELINE_SYNC.
void pg_connection::drain() {
  bool after_null = false;
  while (in_pipeline_ && !PQisBusy(pg_)) {
    result_ptr res(PQgetResult(pg_), &PQclear);
    if (!res) {
      // A null ends each statement's results; a second one in a row means nothing is queued.
      if (after_null)
        return;
      after_null = true;
      continue;
    }
    after_null = false;
    switch (PQresultStatus(res.get())) {
      case PGRES_PIPELINE_SYNC:
        in_pipeline_ = false;
        break;
      case PGRES_TUPLES_OK:
      case PGRES_COMMAND_OK:
      case PGRES_EMPTY_QUERY:
        if (phase_ == phase::ready)
          results_.push_back(to_result(res.get()));
        ++result_index_;
        break;
      case PGRES_PIPELINE_ABORTED:
        break;  // a statement after the first error; the batch already failed
      default:
        if (!error_) {
          error_ = to_error(res.get());
          error_index_ = result_index_;
        }
        ++result_index_;
        break;
    }
  }
}

// Runs last in a handler: arms the next wait, then reports the finished pipeline.
void pg_connection::end_pipeline() {
  if (phase_ == phase::preparing) {
    if (error_) {
      auto name = error_index_ < catalog_.queries.size() ? catalog_.queries[error_index_].name
                                                         : std::string("?");
      return fail("preparing query '" + name + "' failed: " + error_->sqlstate + " "
                  + error_->message);
    }
    deadline_.cancel();
    phase_ = phase::ready;
    await_io();
    if (events_.ready)
      events_.ready();
    return;
  }
  pg_outcome outcome;
  if (error_)
    outcome.error = std::move(error_);
  else
    outcome.results = std::move(results_);
  error_.reset();
  results_.clear();
  await_io();
  if (events_.finished)
    events_.finished(std::move(outcome));
}

std::string pg_connection::error_message() const {
  if (pg_ == nullptr)
    return "no connection";
  auto message = trim_end(PQerrorMessage(pg_));
  return message.empty() ? "connection failed" : message;
}

void pg_connection::fail(std::string reason) {
  shutdown();
  auto lost = std::move(events_.lost);
  events_ = {};
  if (lost)
    lost(std::move(reason));
}

void pg_connection::shutdown() {
  deadline_.cancel();
  resolver_.cancel();
  boost::system::error_code ignored;
  socket_.close(ignored);  // the duplicate only; PQfinish closes libpq's own descriptor
  ++epoch_;
  read_waiting_ = false;
  write_waiting_ = false;
  flushing_ = false;
  in_pipeline_ = false;
  phase_ = phase::closed;
  if (pg_ != nullptr) {
    PQfinish(pg_);
    pg_ = nullptr;
  }
}

}  // namespace crmd::storage::detail
