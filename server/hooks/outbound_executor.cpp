#include "server/hooks/outbound_executor.hpp"

#include <boost/asio/post.hpp>

namespace cogsync::server {

outbound_executor::outbound_executor(std::size_t threads, std::size_t per_key)
    : per_key_(per_key == 0 ? 1 : per_key), pool_(threads == 0 ? 1 : threads) {}

outbound_executor::~outbound_executor() { stop(); }

void outbound_executor::submit(const std::string& key, std::function<void()> task) {
    {
        std::lock_guard lock(mu_);
        auto& l = lanes_[key];
        if (l.running >= per_key_) {
            l.waiting.push_back(std::move(task));
            return;
        }
        ++l.running;
    }
    start(key, std::move(task));
}

void outbound_executor::start(const std::string& key, std::function<void()> task) {
    boost::asio::post(pool_, [this, key, task = std::move(task)] {
        task();
        finished(key);
    });
}

// The finished task's slot goes to the next waiting task of the same key, if any.
void outbound_executor::finished(const std::string& key) {
    std::function<void()> next;
    {
        std::lock_guard lock(mu_);
        auto it = lanes_.find(key);
        if (it->second.waiting.empty()) {
            if (--it->second.running == 0) lanes_.erase(it);
            return;
        }
        next = std::move(it->second.waiting.front());
        it->second.waiting.pop_front();
    }
    start(key, std::move(next));
}

void outbound_executor::stop() { pool_.wait(); }

}  // namespace cogsync::server
