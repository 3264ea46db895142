#include "server/http_date.hpp"

#include <cstdio>

namespace cogsync::server {

std::string format_http_date(std::time_t epoch_seconds) {
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm utc{};
    gmtime_r(&epoch_seconds, &utc);
    char buf[32];
    int n = std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[utc.tm_wday], utc.tm_mday,
                          months[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
    return std::string(buf, static_cast<std::size_t>(n));
}

std::string_view http_date_now() {
    thread_local std::time_t cached_second = -1;
    thread_local std::string cached;
    const std::time_t now = std::time(nullptr);
    if (now != cached_second) {
        cached = format_http_date(now);
        cached_second = now;
    }
    return cached;
}

}  // namespace cogsync::server
