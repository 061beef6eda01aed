// esk/log_sink.hpp — where the runtime's diagnostics go.
//
// The runtime logs only what no caller can be told through a result: user code that threw
// where nobody waits for an answer (a command callback, an event handler after the commit),
// a projection that stopped or cannot read the log, an actor that stopped.
#pragma once

#include <functional>
#include <string_view>

namespace esk {

// Receives one diagnostic line (no trailing newline). May be called from several actor
// threads at once, so it must be thread-safe; it must not block for long. Whatever it throws
// is swallowed. An empty log_sink means the default: "esk: <line>" on stderr.
using log_sink = std::function<void(std::string_view line)>;

// Hands `line` to `sink` (or to stderr when `sink` is empty). Never throws.
void write_log(const log_sink& sink, std::string_view line) noexcept;

}  // namespace esk
