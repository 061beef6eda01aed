// What each endpoint does with a request (docs/HTTP.md). Each answers through the connection,
// never blocking the I/O thread it is called on.
#pragma once

#include <memory>

#include "connection.hpp"
#include "request_target.hpp"

namespace esk::http_detail {

// Dispatches an authorized request to its endpoint, or answers 404 / 405.
void route_request(const std::shared_ptr<connection>& from, request&& req);

// POST /commands.
void answer_command(const std::shared_ptr<connection>& from, request&& req);
// GET /aggregates/{type}/{id}.
void answer_aggregate(const std::shared_ptr<connection>& from, const request& req,
                      const request_target& target);
// GET /streams (every stream's name and version, paged by name).
void answer_stream_list(const std::shared_ptr<connection>& from, const request& req,
                        const request_target& target);
// GET /streams/{stream}.
void answer_stream(const std::shared_ptr<connection>& from, const request& req,
                   const request_target& target);
// GET /events.
void answer_events(const std::shared_ptr<connection>& from, const request& req,
                   const request_target& target);
// GET /events/live.
void answer_live(const std::shared_ptr<connection>& from, const request& req,
                 const request_target& target);
// GET /health.
void answer_health(const std::shared_ptr<connection>& from, const request& req);
// GET /, /page.js, /page.css (the browser page); false when `target` is none of its files.
bool answer_page(const std::shared_ptr<connection>& from, const request& req,
                 const request_target& target);
// GET /metrics.
void answer_metrics(const std::shared_ptr<connection>& from, const request& req);

}  // namespace esk::http_detail
