#include <cstdio>
#include <fstream>

#include "esk/store/sqlite_store.hpp"
#include "fuzz_inputs.hpp"

namespace esk::fuzz {
namespace {

// Runs every read of the contract; results may be errors, never crashes.
void read_everything(event_store& store) {
  (void)store.last_position();
  (void)store.read_all(1, 64);
  if (auto streams = store.list_streams(); streams && !streams->empty()) {
    const auto& first = streams->front();
    (void)store.stream_version(first.stream);
    (void)store.read_stream(first.stream, 1, 64);
  }
}

}  // namespace

void open_store_bytes(const std::string& path, std::string_view bytes) {
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  sqlite_options read_only;
  read_only.read_only = true;
  read_only.busy_timeout_ms = 0;
  if (auto store = open_sqlite_store(path, read_only)) read_everything(**store);

  sqlite_options writable;
  writable.busy_timeout_ms = 0;
  if (auto store = open_sqlite_store(path, writable)) {
    read_everything(**store);
    const std::string stream = "Account-fuzz";
    auto version = (*store)->stream_version(stream);
    append_request request{stream,
                           version ? *version : 0,
                           {{"Deposited",
                             R"({"account_id":"fuzz","amount":1})",
                             {"event", "command", "", "", "2026-01-01T00:00:00.000Z"}}}};
    (void)(*store)->append(request);
    read_everything(**store);
  }
}

}  // namespace esk::fuzz
