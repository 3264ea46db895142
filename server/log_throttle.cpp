#include "server/log_throttle.hpp"

namespace cogsync::server {

std::optional<std::size_t> log_throttle::admit(clock::time_point now) {
    if (last_ && now - *last_ < interval_) {
        ++held_back_;
        return std::nullopt;
    }
    last_ = now;
    auto held = held_back_;
    held_back_ = 0;
    return held;
}

}  // namespace cogsync::server
