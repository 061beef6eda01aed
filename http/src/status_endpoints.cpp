// GET /health (liveness and readiness) and GET /metrics (Prometheus' text format). Both read
// the runtime and the store, so they run on the reader threads.
#include <boost/asio/post.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "error_answers.hpp"
#include "http_metrics.hpp"
#include "routes.hpp"

namespace esk::http_detail {
namespace {

// The checkpoint name the health check writes to learn whether the store takes writes.
constexpr const char* health_probe = "esk_http_health_probe";

boost::json::object error_json(const error& failure) {
  return {{"kind", to_string(failure.kind)}, {"message", failure.message}};
}

response health(http_server::state& server, unsigned version, bool keep_alive) {
  auto& store = server.rt.store();
  boost::json::object report;
  bool ready = !server.stopping();
  boost::json::object store_report;
  auto last = store.last_position();
  store_report["readable"] = last.ok();
  if (last) {
    store_report["last_position"] = *last;
    // A checkpoint write is a durable write the store must commit like an append.
    auto probe = store.save_checkpoint(health_probe, *last);
    store_report["writable"] = probe.ok();
    if (!probe) store_report["error"] = error_json(probe.error_value());
    ready = ready && probe.ok();
  } else {
    store_report["writable"] = false;
    store_report["error"] = error_json(last.error_value());
    ready = false;
  }
  report["store"] = std::move(store_report);
  boost::json::array projections;
  if (auto statuses = server.rt.projection_statuses()) {
    for (const auto& status : *statuses) {
      boost::json::object entry{{"name", status.name},
                                {"state", to_string(status.state)},
                                {"position", status.position},
                                {"lag", status.lag},
                                {"skipped", status.skipped}};
      if (status.failure) entry["failure"] = error_json(*status.failure);
      ready = ready && status.state != projection_state::stopped;
      projections.push_back(std::move(entry));
    }
  }
  report["projections"] = std::move(projections);
  report["status"] = server.stopping() ? "stopping" : ready ? "ready" : "not_ready";
  return body_response(ready ? http::status::ok : http::status::service_unavailable,
                       boost::json::serialize(report) + "\n", "application/json", version,
                       keep_alive);
}

void gauge(std::string& out, const std::string& name, const std::string& help,
           std::uint64_t value) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + " " +
         std::to_string(value) + "\n";
}

response metrics(http_server::state& server, unsigned version, bool keep_alive) {
  std::string out;
  server.metrics.write_prometheus(out);
  if (auto counts = server.rt.count_aggregates()) {
    gauge(out, "esk_live_aggregates", "Aggregate actors in memory.", counts->live);
    out +=
        "# HELP esk_aggregates_passivated_total Aggregate actors stopped by passivation.\n"
        "# TYPE esk_aggregates_passivated_total counter\nesk_aggregates_passivated_total " +
        std::to_string(counts->passivated) + "\n";
  }
  if (auto last = server.rt.store().last_position())
    gauge(out, "esk_log_position", "The position of the last committed event.", *last);
  if (auto statuses = server.rt.projection_statuses()) {
    out +=
        "# HELP esk_projection_position The last position a projection applied.\n"
        "# TYPE esk_projection_position gauge\n";
    for (const auto& status : *statuses)
      out += "esk_projection_position{projection=\"" + prometheus_label(status.name) + "\"} " +
             std::to_string(status.position) + "\n";
    out +=
        "# HELP esk_projection_lag Committed events a projection has not applied yet.\n"
        "# TYPE esk_projection_lag gauge\n";
    for (const auto& status : *statuses)
      out += "esk_projection_lag{projection=\"" + prometheus_label(status.name) + "\"} " +
             std::to_string(status.lag) + "\n";
    out +=
        "# HELP esk_projection_stopped 1 when a projection stopped at a failed event.\n"
        "# TYPE esk_projection_stopped gauge\n";
    for (const auto& status : *statuses)
      out += "esk_projection_stopped{projection=\"" + prometheus_label(status.name) + "\"} " +
             (status.state == projection_state::stopped ? "1" : "0") + "\n";
  }
  write_group_commit_metrics(server.rt.group_commit_stats(), out);
  write_gap_wait_metrics(server.rt.gap_waits(), out);
  const auto snapshots = server.rt.snapshot_stats();
  out +=
      "# HELP esk_snapshots_written_total Snapshots the store saved.\n"
      "# TYPE esk_snapshots_written_total counter\nesk_snapshots_written_total " +
      std::to_string(snapshots.written) + "\n";
  gauge(out, "esk_http_commands_in_flight", "Commands sent through HTTP and not yet answered.",
        server.commands_in_flight());
  gauge(out, "esk_http_open_connections", "Open HTTP connections and live feeds.",
        server.open_sessions());
  return body_response(http::status::ok, std::move(out), "text/plain; version=0.0.4", version,
                       keep_alive);
}

}  // namespace

void answer_health(const std::shared_ptr<connection>& from, const request& req) {
  net::post(from->server().readers(),
            [from, version = req.version(), keep_alive = req.keep_alive()] {
              from->answer(health(from->server(), version, keep_alive));
            });
}

void answer_metrics(const std::shared_ptr<connection>& from, const request& req) {
  net::post(from->server().readers(),
            [from, version = req.version(), keep_alive = req.keep_alive()] {
              from->answer(metrics(from->server(), version, keep_alive));
            });
}

}  // namespace esk::http_detail
