#include "scratch_store.hpp"

#include <unistd.h>

#include <filesystem>

#include "esk/store/memory_store.hpp"
#include "esk/store/sqlite_store.hpp"

namespace esk::bench {

result<std::unique_ptr<scratch_store>> scratch_store::open(const std::string& name,
                                                           const std::string& directory,
                                                           const std::string& label) {
  if (name == "memory")
    return std::unique_ptr<scratch_store>(new scratch_store(make_memory_store(), ""));
  if (name != "sqlite") return error{error_kind::invalid_argument, "unknown store " + name};
  const std::string path =
      directory + "/esk-bench-" + label + "-" + std::to_string(::getpid()) + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto opened = open_sqlite_store(path);
  if (!opened) return opened.error_value();
  return std::unique_ptr<scratch_store>(new scratch_store(std::move(*opened), path));
}

scratch_store::~scratch_store() {
  store_.reset();
  if (path_.empty()) return;
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix, ignored);
}

}  // namespace esk::bench
