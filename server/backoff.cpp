#include "server/backoff.hpp"

namespace cogsync::server {

std::chrono::milliseconds backoff::next() {
    auto d = first_;
    for (int i = 0; i < failures_ && d < cap_; ++i) d *= 2;
    ++failures_;
    return d < cap_ ? d : cap_;
}

}  // namespace cogsync::server
