#pragma once
// The two formats of log lines (--log-format).
//
// text: "[2026-12-02 12:52:53.123] [cogsync] [info] [REQUEST_ID] message", the request id only on
// lines logged for a request (server/log_scope.hpp).
// json: one object per line, {"ts":"2026-12-02T12:52:53.123Z","level":"info","msg":"...",
// "request_id":"..."}: ts in RFC 3339 UTC with milliseconds; level one of trace, debug, info,
// warn, error, critical; request_id only on lines logged for a request. Strings are escaped so
// that every line is one valid JSON text: quote, backslash and control characters escaped, every
// byte that starts no well-formed UTF-8 sequence replaced by U+FFFD.
#include <spdlog/formatter.h>

#include <memory>
#include <string>
#include <string_view>

namespace cogsync::server {

std::unique_ptr<spdlog::formatter> text_log_formatter();
std::unique_ptr<spdlog::formatter> json_log_formatter();

// Appends `text` as the contents of a JSON string (without the quotes), escaped as above.
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace cogsync::server
