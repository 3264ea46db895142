#include "server/io_pool.hpp"

#include <pthread.h>

#include <boost/asio/post.hpp>
#include <algorithm>
#include <thread>

namespace cogsync::server {

namespace asio = boost::asio;

// Concurrency hint 1: each io_context is run by one thread, which lets Asio skip waking others.
io_pool::io_pool(int threads) {
    const auto n = static_cast<std::size_t>(std::max(threads, 1));
    for (std::size_t i = 0; i < n; ++i) {
        contexts_.push_back(std::make_unique<asio::io_context>(1));
        guards_.emplace_back(contexts_.back()->get_executor());
    }
}

asio::io_context& io_pool::next() { return *contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()]; }

namespace {

// run() one handler at a time, so that the thread sees where a run of ready handlers ends:
// run_one waits for the first, poll_one runs those ready meanwhile without waiting.
void run_context(asio::io_context& ioc, const io_pool::thread_hooks& hooks) {
    if (hooks.start) hooks.start();
    for (;;) {
        const bool ran = ioc.run_one() > 0;
        for (int i = 1; ran && i < io_pool::max_run && ioc.poll_one() > 0; ++i) {
        }
        if (hooks.after_run) hooks.after_run();
        if (!ran) return;
    }
}

}  // namespace

void io_pool::run(const thread_hooks& hooks) {
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < contexts_.size(); ++i)
        threads.emplace_back([ioc = contexts_[i].get(), &hooks] {
            pthread_setname_np(pthread_self(), "cogsync-io");
            run_context(*ioc, hooks);
        });
    run_context(*contexts_.front(), hooks);
    for (auto& t : threads) t.join();
}

// Each guard is reset on its own io_context's thread: a work guard is not thread-safe.
void io_pool::release() {
    for (std::size_t i = 0; i < contexts_.size(); ++i)
        asio::post(*contexts_[i], [this, i] { guards_[i].reset(); });
}

void io_pool::stop() {
    for (auto& ioc : contexts_) ioc->stop();
}

}  // namespace cogsync::server
