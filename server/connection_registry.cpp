#include "server/connection_registry.hpp"

namespace cogsync::server {

void connection_registry::add(const std::shared_ptr<http_session>& s) {
    std::lock_guard lock(mu_);
    live_.emplace(s.get(), s);
    ++count_;
}

void connection_registry::remove(const http_session* s) {
    std::function<void()> last;
    {
        std::lock_guard lock(mu_);
        if (live_.erase(s) == 0) return;
        --count_;
        if (live_.empty() && draining_) last = std::move(on_empty_);
    }
    if (last) last();
}

bool connection_registry::reserve(std::size_t bytes) {
    auto now = buffered_.load();
    do {
        if (bytes > budget_ || now > budget_ - bytes) return false;
    } while (!buffered_.compare_exchange_weak(now, now + bytes));
    return true;
}

void connection_registry::release(std::size_t bytes) { buffered_ -= bytes; }

std::vector<std::shared_ptr<http_session>> connection_registry::begin_drain(std::function<void()> on_empty) {
    std::vector<std::shared_ptr<http_session>> out;
    {
        std::lock_guard lock(mu_);
        draining_ = true;
        for (const auto& [key, weak] : live_)
            if (auto s = weak.lock()) out.push_back(std::move(s));
        if (!live_.empty()) {
            on_empty_ = std::move(on_empty);
            return out;
        }
    }
    on_empty();
    return out;
}

void connection_registry::forget_drain() {
    std::lock_guard lock(mu_);
    on_empty_ = nullptr;
}

}  // namespace cogsync::server
