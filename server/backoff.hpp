#pragma once
// Capped exponential retry delay (sink deliveries, accepts out of descriptors): by default 100 ms
// after the first failure, doubling after each further one, never above 30 s; reset() after a
// success.
#include <chrono>

namespace cogsync::server {

class backoff {
public:
    explicit backoff(std::chrono::milliseconds first = std::chrono::milliseconds(100),
                     std::chrono::milliseconds cap = std::chrono::milliseconds(30000))
        : first_(first), cap_(cap) {}
    // Delay before the next attempt; each call counts one more failure.
    std::chrono::milliseconds next();
    void reset() { failures_ = 0; }
    int failures() const { return failures_; }

private:
    std::chrono::milliseconds first_, cap_;
    int failures_ = 0;
};

}  // namespace cogsync::server
