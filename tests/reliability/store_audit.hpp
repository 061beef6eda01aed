// store_audit.hpp — reads a whole event store the way an auditor would and lists every broken
// invariant: positions strictly increasing, versions gap-free from 1 per stream, the stream
// table agreeing with the events, and where each command's events landed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "esk/store/event_store.hpp"

namespace esk::reliability {

// Where one command's events landed.
struct command_footprint {
  std::string stream;
  std::vector<std::uint64_t> versions;  // in position order
  bool one_stream = true;               // false if its events are spread over several streams
};

struct store_audit {
  std::vector<std::string> problems;                  // empty when every invariant holds
  std::map<std::string, command_footprint> commands;  // by metadata.command_id
  std::map<std::string, std::int64_t> balances;       // by stream: deposits minus withdrawals
  std::size_t event_count = 0;
};

// Reads every event of `store` and checks the log's invariants. Never throws for a broken
// store: a read error is reported as a problem. Blocks.
store_audit audit_store(event_store& store);

// The complete lines of the text file at `path` (a last line without '\n' was cut off by a
// crash and is left out). A missing file reads as no lines.
std::vector<std::string> complete_lines(const std::string& path);

}  // namespace esk::reliability
