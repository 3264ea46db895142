#include "server/hooks/http_pool.hpp"

#include <algorithm>
#include <iterator>

#include "server/hooks/http_connection.hpp"

namespace cogsync::server {

using clock = std::chrono::steady_clock;

http_pool::http_pool(http_pool_limits limits) : limits_(limits) {}

http_pool::~http_pool() = default;

http_reply http_pool::send(const http_call& call) {
    auto deadline = clock::now() + call.timeout;
    target t{call.url.tls, call.url.host, call.url.port, call.url.ca_file};
    if (auto c = take(t)) {
        try {
            return exchange(t, c, call, deadline);
        } catch (const http_error&) {
            if (!c->unanswered()) throw;
        }
    }
    auto c = std::make_unique<http_connection>(call.url, deadline);
    return exchange(t, c, call, deadline);
}

http_reply http_pool::exchange(const target& t, connection_ptr& c, const http_call& call, clock::time_point deadline) {
    auto reply = c->exchange(call, deadline);
    if (c->reusable()) give_back(t, std::move(c));
    return reply;
}

// Closes what expired on the way (any target), and what the peer closed while it was idle.
http_pool::connection_ptr http_pool::take(const target& t) {
    for (;;) {
        std::vector<connection_ptr> closing;  // destroyed after the lock is released
        connection_ptr c;
        {
            std::lock_guard lock(mu_);
            auto cutoff = clock::now() - limits_.idle_timeout;
            for (auto& [_, list] : idle_) {
                auto fresh = std::find_if(list.begin(), list.end(), [&](const auto& i) { return i->idle_since > cutoff; });
                std::move(list.begin(), fresh, std::back_inserter(closing));
                list.erase(list.begin(), fresh);
            }
            auto it = idle_.find(t);
            if (it == idle_.end() || it->second.empty()) return nullptr;
            c = std::move(it->second.back());
            it->second.pop_back();
        }
        if (!c->readable_while_idle()) return c;
    }
}

void http_pool::give_back(const target& t, connection_ptr c) {
    c->idle_since = clock::now();
    connection_ptr oldest;  // closed after the lock is released
    std::lock_guard lock(mu_);
    auto& list = idle_[t];
    list.push_back(std::move(c));
    if (list.size() > limits_.max_idle_per_target) {
        oldest = std::move(list.front());
        list.erase(list.begin());
    }
}

std::size_t http_pool::idle() const {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (const auto& [_, list] : idle_) n += list.size();
    return n;
}

http_pool& shared_http_pool() {
    static auto* pool = new http_pool();
    return *pool;
}

}  // namespace cogsync::server
