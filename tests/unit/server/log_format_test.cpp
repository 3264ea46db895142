#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "api/utf8.hpp"
#include "server/log_format.hpp"
#include "server/log_scope.hpp"

using namespace cogsync::server;
using namespace std::string_literals;

namespace {

// 1994-11-06T08:49:37.123Z
const spdlog::log_clock::time_point at{std::chrono::milliseconds(784111777123)};

std::string format(spdlog::formatter& f, std::string_view text, spdlog::level::level_enum level = spdlog::level::info) {
    spdlog::details::log_msg msg(at, spdlog::source_loc{}, "cogsync", level, spdlog::string_view_t(text.data(), text.size()));
    spdlog::memory_buf_t out;
    f.format(msg, out);
    return std::string(out.data(), out.size());
}

std::string escaped(std::string_view text) {
    std::string out;
    append_json_escaped(out, text);
    return out;
}

}  // namespace

TEST_CASE("a JSON line has ts in RFC 3339 UTC with milliseconds, level and msg") {
    auto f = json_log_formatter();
    CHECK(format(*f, "listening on 127.0.0.1:8080") ==
          "{\"ts\":\"1994-11-06T08:49:37.123Z\",\"level\":\"info\",\"msg\":\"listening on 127.0.0.1:8080\"}\n");
    CHECK(format(*f, "x", spdlog::level::warn).find("\"level\":\"warn\"") != std::string::npos);
    CHECK(format(*f, "x", spdlog::level::err).find("\"level\":\"error\"") != std::string::npos);
    CHECK(format(*f, "x", spdlog::level::critical).find("\"level\":\"critical\"") != std::string::npos);
}

TEST_CASE("a JSON line logged in a request's scope names the request, and only then") {
    auto f = json_log_formatter();
    {
        request_log_scope outer("req-1");
        CHECK(format(*f, "m") ==
              "{\"ts\":\"1994-11-06T08:49:37.123Z\",\"level\":\"info\",\"msg\":\"m\",\"request_id\":\"req-1\"}\n");
        {
            request_log_scope inner("req-2");
            CHECK(format(*f, "m").find("\"request_id\":\"req-2\"") != std::string::npos);
        }
        CHECK(format(*f, "m").find("\"request_id\":\"req-1\"") != std::string::npos);
    }
    CHECK(format(*f, "m").find("request_id") == std::string::npos);
    CHECK(request_log_scope::current().empty());
}

TEST_CASE("quotes, backslashes and control characters are escaped") {
    CHECK(escaped("say \"hi\" \\ bye") == "say \\\"hi\\\" \\\\ bye");
    CHECK(escaped("a\nb\rc\td") == "a\\nb\\rc\\td");
    CHECK(escaped(std::string("\x00\x01\x1f\x7f", 4)) == "\\u0000\\u0001\\u001f\\u007f");
}

TEST_CASE("valid UTF-8 passes as is, every byte starting no valid sequence becomes U+FFFD") {
    const std::string fffd = "\xEF\xBF\xBD";
    CHECK(escaped("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
    CHECK(escaped("a\xFF" "b") == "a" + fffd + "b");
    CHECK(escaped("\xC0\xAF") == fffd + fffd);                // overlong '/'
    CHECK(escaped("\xED\xA0\x80") == fffd + fffd + fffd);     // a surrogate
    CHECK(escaped("\xE2\x82") == fffd + fffd);                // cut short
    CHECK(escaped("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // above U+10FFFF
}

TEST_CASE("a JSON line of hostile bytes is one line of valid UTF-8") {
    auto f = json_log_formatter();
    std::string hostile = "\"}\n{\"level\":\"error\x80\xFE\x00\r"s;
    auto line = format(*f, hostile);
    CHECK(cogsync::api::is_valid_utf8(line));
    CHECK(line.find('\n') == line.size() - 1);
    CHECK(line.find("\"msg\":\"\\\"}\\n{\\\"level\\\":\\\"error\xEF\xBF\xBD\xEF\xBF\xBD\\u0000\\r\"}") != std::string::npos);
}

TEST_CASE("a text line carries the request id in its scope, nothing outside") {
    auto f = text_log_formatter();
    auto ends_with = [](const std::string& s, std::string_view end) {
        return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
    };
    CHECK(ends_with(format(*f, "started"), ".123] [cogsync] [info] started\n"));
    request_log_scope scope("req-9");
    CHECK(ends_with(format(*f, "failed"), ".123] [cogsync] [info] [req-9] failed\n"));
}
