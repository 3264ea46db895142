#pragma once
// Runs the request steps that wait on the network (Sync Trigger calls) on threads of their own,
// never on the I/O threads, with at most `per_key` of one key (an identity pool) running at once;
// the rest of that key wait their turn in order. A pool whose function is slow therefore holds
// at most `per_key` threads: other pools' calls, and every request that calls no function
// (reads, writes, /health), go on undisturbed.
#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cogsync::server {

class outbound_executor {
public:
    outbound_executor(std::size_t threads, std::size_t per_key);
    ~outbound_executor();  // stop()
    outbound_executor(const outbound_executor&) = delete;
    outbound_executor& operator=(const outbound_executor&) = delete;

    // Runs task once fewer than per_key tasks of `key` are running. task must not throw.
    void submit(const std::string& key, std::function<void()> task);
    // Waits for every task, queued ones included, to finish; then joins the threads.
    void stop();

private:
    struct lane {
        std::size_t running = 0;
        std::deque<std::function<void()>> waiting;
    };
    void start(const std::string& key, std::function<void()> task);
    void finished(const std::string& key);

    std::size_t per_key_;
    std::mutex mu_;
    std::unordered_map<std::string, lane> lanes_;
    boost::asio::thread_pool pool_;
};

}  // namespace cogsync::server
