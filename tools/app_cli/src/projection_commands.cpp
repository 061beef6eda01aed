#include "esk/cli/projection_commands.hpp"

#include <algorithm>
#include <memory>

namespace esk::cli {
namespace {

void write_status(const projection_status& status, std::ostream& out) {
  out << status.name << ' ' << to_string(status.state) << " position=" << status.position
      << " lag=" << status.lag << " skipped=" << status.skipped;
  if (status.failure) out << " failure=" << *status.failure;
  out << '\n';
}

}  // namespace

status write_projection_statuses(runtime& rt, std::ostream& out) {
  if (auto synced = rt.sync_projections(); !synced && synced.kind() != error_kind::handler_failed)
    return synced;  // a stopped projection is listed below with its failure
  auto statuses = rt.projection_statuses();
  if (!statuses) return statuses.error_value();
  for (const auto& status : *statuses) write_status(status, out);
  return {};
}

status rebuild(runtime& rt, const std::string& name, std::ostream& out, std::ostream& progress) {
  auto last_percent = std::make_shared<int>(-1);
  auto rebuilt = rt.rebuild_projection(name, [&, last_percent](const rebuild_progress& at) {
    const int percent =
        at.last == 0
            ? 100
            : static_cast<int>(std::min<std::uint64_t>(at.position, at.last) * 100 / at.last);
    if (percent == *last_percent) return;
    *last_percent = percent;
    progress << "rebuild " << name << ": " << at.position << '/' << at.last << " events ("
             << percent << "%)" << std::endl;
  });
  if (!rebuilt) return rebuilt;
  auto statuses = rt.projection_statuses();
  if (!statuses) return statuses.error_value();
  for (const auto& status : *statuses)
    if (status.name == name)
      out << "rebuilt " << name << " at position " << status.position << '\n';
  return {};
}

}  // namespace esk::cli
