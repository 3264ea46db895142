#pragma once
// At most one log line per interval for a failure that can repeat thousands of times a second
// (accept out of descriptors): the lines held back in between are counted, so the next line
// can say how many there were.
#include <chrono>
#include <cstddef>
#include <optional>

namespace cogsync::server {

class log_throttle {
public:
    using clock = std::chrono::steady_clock;
    explicit log_throttle(clock::duration interval) : interval_(interval) {}
    // nullopt: stay quiet this time; else log now, and the value is how many were held back.
    std::optional<std::size_t> admit(clock::time_point now);

private:
    clock::duration interval_;
    std::optional<clock::time_point> last_;
    std::size_t held_back_ = 0;
};

}  // namespace cogsync::server
