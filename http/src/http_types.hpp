// The Beast and Asio names the HTTP layer uses, in one place.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace esk::http_detail {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

}  // namespace esk::http_detail
