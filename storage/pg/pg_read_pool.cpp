#include "storage/pg/pg_read_pool.hpp"

namespace cogsync::storage {

pg_read_pool::lease pg_read_pool::take() {
    std::unique_lock lock(mu_);
    freed_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return lease(*this, std::move(c));
    }
    ++open_;
    lock.unlock();
    try {
        return lease(*this, std::make_unique<pg_connection>(url_));
    } catch (...) {
        lock.lock();
        --open_;
        freed_.notify_one();
        throw;
    }
}

pg_read_pool::lease pg_read_pool::take_and_run(const std::string& sql) {
    {
        auto c = take();
        try {
            c->run(sql);
            return c;
        } catch (const pg_error&) {
            if (c->usable()) throw;
        }
    }
    // The server dropped that connection, and most likely every idle one with it (a restart):
    // none of them is handed out untried again.
    drop_idle();
    auto c = take();
    c->run(sql);
    return c;
}

void pg_read_pool::drop_idle() {
    std::vector<std::unique_ptr<pg_connection>> dropped;
    {
        std::lock_guard lock(mu_);
        open_ -= idle_.size();
        dropped.swap(idle_);
        freed_.notify_all();
    }
}

void pg_read_pool::end_idle_reads() {
    std::vector<std::unique_ptr<pg_connection>> ending;
    {
        std::lock_guard lock(mu_);
        for (auto it = idle_.begin(); it != idle_.end();) {
            if ((*it)->has_deferred()) ending.push_back(std::move(*it)), it = idle_.erase(it);
            else ++it;
        }
    }
    for (auto& c : ending) {
        try {
            c->send_deferred();
        } catch (const storage_error&) {
            // closed below: give_back keeps only a connection that is usable and idle
        }
        give_back(std::move(c));
    }
}

// A connection comes back idle, or with only its read's COMMIT deferred.
void pg_read_pool::give_back(std::unique_ptr<pg_connection> c) {
    std::lock_guard lock(mu_);
    if (c->usable() && (!c->in_transaction() || c->has_deferred())) idle_.push_back(std::move(c));
    else --open_;
    freed_.notify_one();
}

}  // namespace cogsync::storage
