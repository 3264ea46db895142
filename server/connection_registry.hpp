#pragma once
// What every connection shares and what must outlive the io_context (sessions still queued in it
// are destroyed with it): the live sessions, so a drain can reach them; their count, for the
// connection cap; and the budget of request bytes buffered at once over all connections.
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace cogsync::server {

class http_session;

class connection_registry {
public:
    explicit connection_registry(std::size_t budget_bytes) : budget_(budget_bytes) {}

    void add(const std::shared_ptr<http_session>& s);
    void remove(const http_session* s);
    std::size_t count() const { return count_.load(); }

    // Takes `bytes` from the budget; false (and nothing taken) when that would exceed it.
    bool reserve(std::size_t bytes);
    void release(std::size_t bytes);
    std::size_t buffered() const { return buffered_.load(); }

    // From now on sessions finish the request they have and close. Returns the live sessions;
    // `on_empty` runs once the last one is gone (at once if none is left).
    std::vector<std::shared_ptr<http_session>> begin_drain(std::function<void()> on_empty);
    bool draining() const { return draining_.load(); }
    // No more on_empty calls (before the io_context it posts to goes away).
    void forget_drain();

private:
    std::size_t budget_;
    std::atomic<std::size_t> buffered_{0};
    std::atomic<std::size_t> count_{0};
    std::atomic<bool> draining_{false};
    mutable std::mutex mu_;
    std::unordered_map<const http_session*, std::weak_ptr<http_session>> live_;
    std::function<void()> on_empty_;
};

}  // namespace cogsync::server
