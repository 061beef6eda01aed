#include "sqlite_checkpoints.hpp"

#include <limits>
#include <string_view>

namespace esk {
namespace {

constexpr std::string_view write_checkpoint_sql =
    "INSERT INTO projection_checkpoints(name, position) VALUES(?1, ?2)"
    " ON CONFLICT(name) DO UPDATE SET position = excluded.position";
constexpr std::string_view read_checkpoint_sql =
    "SELECT position FROM projection_checkpoints WHERE name = ?1";
constexpr std::string_view checkpoints_table_exists_sql =
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'projection_checkpoints'";

}  // namespace

void write_checkpoint_row(sqlite_connection& connection, const std::string& projection,
                          std::uint64_t position) {
  constexpr auto largest = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  sqlite_statement& upsert = connection.statement(write_checkpoint_sql);
  statement_reset reset(upsert);
  upsert.bind_text(1, projection);
  upsert.bind_int64(2, static_cast<std::int64_t>(position < largest ? position : largest));
  upsert.step();
}

std::uint64_t read_checkpoint_row(sqlite_connection& connection, const std::string& projection) {
  sqlite_statement& query = connection.statement(read_checkpoint_sql);
  statement_reset reset(query);
  query.bind_text(1, projection);
  return query.step() ? static_cast<std::uint64_t>(query.column_int64(0)) : 0;
}

std::uint64_t read_checkpoint_row_if_kept(sqlite_connection& connection,
                                          const std::string& projection) {
  sqlite_statement& exists = connection.statement(checkpoints_table_exists_sql);
  statement_reset reset(exists);
  return exists.step() ? read_checkpoint_row(connection, projection) : 0;
}

}  // namespace esk
