#pragma once
// The Date header every response carries (RFC 9110 5.6.7 IMF-fixdate). HTTP/1.1 requires it of
// an origin server, and iOS (AWSURLSessionManager.m) and the JS SDK v3 (getDateHeader) correct a
// skewed device clock from it after a RequestExpired (PROTOCOL.md 1.3).
#include <ctime>
#include <string>
#include <string_view>

namespace cogsync::server {

// "Sun, 06 Nov 1994 08:49:37 GMT" for 784111777.
std::string format_http_date(std::time_t epoch_seconds);

// The current second's date, formatted once per second per thread; valid until the calling
// thread asks again.
std::string_view http_date_now();

}  // namespace cogsync::server
