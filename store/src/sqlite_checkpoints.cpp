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

}  // namespace esk
