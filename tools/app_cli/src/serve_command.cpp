#include "esk/cli/serve_command.hpp"

#include <string>

namespace esk::cli {

option_spec serve_option_flags() { return option_spec{{"bind", "port", "token-file"}, {}}; }

result<http_options> http_options_from(const arguments& args) {
  http_options options;
  if (auto bind = args.value("bind")) options.bind = *bind;
  if (auto port = args.value("port")) {
    auto parsed = parse_count("--port", *port, 65535);
    if (!parsed) return parsed.error_value();
    options.port = static_cast<std::uint16_t>(*parsed);
  }
  auto token = read_bearer_token(args.value("token-file").value_or(""), "ESK_HTTP_TOKEN");
  if (!token)
    return error{error_kind::invalid_argument, "--token-file: " + token.error_value().message};
  options.bearer_token = *token;
  return options;
}

status serve(runtime& rt, const http_options& options, std::ostream& out) {
  http_server server{rt, options};
  auto served = server.run([&](std::uint16_t port) {
    const bool v6 = options.bind.find(':') != std::string::npos;
    out << "listening on http://" << (v6 ? "[" + options.bind + "]" : options.bind) << ':' << port
        << std::endl;
  });
  if (!served) return served;
  out << "stopped" << std::endl;
  return {};
}

}  // namespace esk::cli
