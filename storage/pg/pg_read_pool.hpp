#pragma once
// Connections for snapshot reads: at most `size` open at once, opened on demand and kept for
// the next reader; a caller waits when every one is in use. A connection the server dropped is
// closed instead of being handed out again.
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/pg/pg_connection.hpp"

namespace cogsync::storage {

class pg_read_pool {
public:
    pg_read_pool(std::string url, std::size_t size) : url_(std::move(url)), size_(std::max<std::size_t>(size, 1)) {}

    class lease {
    public:
        lease(pg_read_pool& pool, std::unique_ptr<pg_connection> c) : pool_(pool), c_(std::move(c)) {}
        ~lease() {
            if (c_) pool_.give_back(std::move(c_));
        }
        lease(lease&& o) noexcept : pool_(o.pool_), c_(std::move(o.c_)) {}
        lease(const lease&) = delete;
        lease& operator=(const lease&) = delete;
        pg_connection& operator*() { return *c_; }
        pg_connection* operator->() { return c_.get(); }

    private:
        pg_read_pool& pool_;
        std::unique_ptr<pg_connection> c_;
    };

    lease take();
    // A connection with `sql` (BEGIN ...) run on it. A pooled connection the server dropped
    // meanwhile fails it; then it and every idle one are closed and the statement is run once
    // on a new connection.
    lease take_and_run(const std::string& sql);

    // Closes every idle connection (the server dropped them, most likely: a restart).
    void drop_idle();
    // A read's COMMIT is deferred to the connection's next use (one round trip fewer per read);
    // this sends it on the idle connections still holding one, so that no snapshot stays open
    // longer than the interval between calls (pg_store's flusher: a second).
    void end_idle_reads();

private:
    void give_back(std::unique_ptr<pg_connection> c);

    std::string url_;
    std::size_t size_;
    std::mutex mu_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<pg_connection>> idle_;
    std::size_t open_ = 0;
};

}  // namespace cogsync::storage
