// esk/cli/serve_command.hpp — `myapp serve [--bind ADDR] [--port N] [--token-file FILE]`: the
// app's runtime over HTTP (esk/http_server.hpp) until SIGTERM or SIGINT.
#pragma once

#include <ostream>

#include "esk/cli/arguments.hpp"
#include "esk/http_server.hpp"
#include "esk/result.hpp"
#include "esk/runtime.hpp"

namespace esk::cli {

// The options `serve` reads: --bind ADDR, --port N, --token-file FILE.
option_spec serve_option_flags();

// The HTTP options the flags in `args` give: --bind (default 127.0.0.1), --port (default 8080;
// 0 = a free port), the bearer token from --token-file or else the ESK_HTTP_TOKEN environment
// variable. Errors: invalid_argument naming the flag (a port over 65535, an unreadable or
// empty token file). Never throws.
result<http_options> http_options_from(const arguments& args);

// Serves `rt` with `options`: prints "listening on http://ADDR:PORT" to `out` (flushed: a
// supervisor or test may wait for the line) once connections are accepted, serves until
// SIGTERM or SIGINT, stops gracefully (esk::http_server::stop), prints "stopped" and returns.
// Blocks. Errors: those of http_server::start (the address cannot be bound, no token for a
// non-loopback address).
status serve(runtime& rt, const http_options& options, std::ostream& out);

}  // namespace esk::cli
