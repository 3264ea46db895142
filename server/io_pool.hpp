#pragma once
// The HTTP I/O threads: one io_context per thread, each run by that thread alone. A connection
// lives on one of them (round robin at accept), so its handlers never run concurrently and need
// no strand, and the threads share no scheduler: with one io_context run by two threads, every
// handler took the scheduler's mutex both threads fight over, and waking the idle thread cost a
// futex call per request (a third of a delta ListRecords' server CPU in a profile). Other threads
// (the store's writer, the outbound executor) post completions into a connection's io_context.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

namespace cogsync::server {

class io_pool {
public:
    explicit io_pool(int threads);

    // The io_context the process-wide objects (listener, signals, timers) live on.
    boost::asio::io_context& first() { return *contexts_.front(); }
    // The io_context for the next connection.
    boost::asio::io_context& next();

    // What each I/O thread calls: `start` once before its first handler, `after_run` after each run
    // of handlers that were ready together (at most max_run of them) and before it waits for more.
    struct thread_hooks {
        std::function<void()> start;
        std::function<void()> after_run;
    };
    static constexpr int max_run = 64;

    // Runs every io_context, each on its own thread (the first on the calling one), until each is
    // out of work once released. Until release(), an io_context with no connection keeps waiting.
    void run(const thread_hooks& hooks = {});
    // From now on an io_context returns from run() once its connections and completions are done.
    // Thread-safe.
    void release();
    // Stops every io_context at once (the drain's grace period is over). Thread-safe.
    void stop();

private:
    using work_guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    std::vector<work_guard> guards_;
    std::atomic<std::size_t> next_{0};
};

}  // namespace cogsync::server
