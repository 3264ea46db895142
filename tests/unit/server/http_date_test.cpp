#include <catch2/catch.hpp>
#include <ctime>
#include <regex>
#include <string>

#include "server/beast_adapter.hpp"
#include "server/http_date.hpp"

using namespace cogsync::server;

TEST_CASE("dates are IMF-fixdate in GMT") {
    CHECK(format_http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(format_http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(format_http_date(1709251199) == "Thu, 29 Feb 2024 23:59:59 GMT");
}

TEST_CASE("the current date is this second's") {
    const std::time_t before = std::time(nullptr);
    const std::string now(http_date_now());
    const std::time_t after = std::time(nullptr);
    CHECK((now == format_http_date(before) || now == format_http_date(after)));
}

TEST_CASE("every response carries a Date header") {
    auto out = to_beast_response(cogsync::api::response{503, {}, "{}"}, 11, false);
    std::regex imf("[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT");
    CHECK(std::regex_match(std::string(out[http::field::date]), imf));
}
