#include "read_only_access.hpp"

#include <sqlite3.h>

#include <filesystem>

namespace esk {
namespace {

// `path` as the path part of a file: URI. '?', '#' and '%' would end or escape it; an
// absolute path gets an empty authority ("file:///tmp/a.db"), so "//x" stays a path.
std::string uri_path(const std::string& path) {
  std::string encoded = path.rfind('/', 0) == 0 ? "//" : "";
  for (char c : path) {
    if (c == '?')
      encoded += "%3f";
    else if (c == '#')
      encoded += "%23";
    else if (c == '%')
      encoded += "%25";
    else
      encoded += c;
  }
  return encoded;
}

bool exists(const std::string& path) {
  std::error_code ignored;
  return std::filesystem::exists(path, ignored);
}

}  // namespace

read_only_access choose_read_only_access(const std::string& path) {
  read_only_access access;
  access.write_ahead_log = path + "-wal";
  access.immutable = !exists(access.write_ahead_log);
  access.uri = "file:" + uri_path(path) + (access.immutable ? "?immutable=1" : "?mode=ro");
  return access;
}

error read_only_open_failure(const std::string& path, const read_only_access& access,
                             const sqlite_failure& failure) {
  std::string message = "cannot open store '" + path + "' read-only: ";
  if (!access.immutable && failure.code() == SQLITE_CANTOPEN) {
    message += "its write-ahead log '" + access.write_ahead_log +
               "' (commits not yet in the file) can be read only with '" + path +
               "-shm', which is missing and cannot be created here; open the store once with "
               "write access, or copy it to a folder you can write";
  } else {
    message += failure.what();
  }
  return {error_kind::store_unavailable, message};
}

std::optional<error> writer_appeared(const std::string& path, const read_only_access& access) {
  if (!access.immutable || !exists(access.write_ahead_log)) return std::nullopt;
  return error{error_kind::store_unavailable,
               "cannot read store '" + path +
                   "' read-only: a writer opened it during the inspection, which reads the file "
                   "without locks as no writer had it open; run the inspection again"};
}

}  // namespace esk
