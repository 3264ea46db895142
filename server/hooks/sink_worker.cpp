#include "server/hooks/sink_worker.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>

namespace cogsync::server {

namespace {
constexpr auto tick = std::chrono::seconds(1);  // look for events even without a wake()
}

sink_worker::sink_worker(std::string cursor_name, std::unique_ptr<sink> s, storage::record_store& store)
    : name_(std::move(cursor_name)), sink_(std::move(s)), store_(store) {}

sink_worker::~sink_worker() { stop(); }

void sink_worker::start() {
    cursor_ = store_.read([&](storage::read_view& v) { return v.sink_cursor(name_); });
    thread_ = std::thread([this] { run(); });
}

void sink_worker::stop() {
    {
        std::lock_guard lock(m_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void sink_worker::wake() {
    {
        std::lock_guard lock(m_);
        woken_ = true;
    }
    cv_.notify_all();
}

void sink_worker::run() {
    for (;;) {
        {
            std::lock_guard lock(m_);
            if (stopping_) return;
            woken_ = false;
        }
        bool more = false;
        try {
            more = drain_page();
        } catch (const std::exception& e) {  // the store itself failed
            spdlog::error("sink {}: {}", name_, e.what());
            on_failure(cursor_ + 1, e.what());
            continue;
        }
        if (more) continue;
        std::unique_lock lock(m_);
        cv_.wait_for(lock, tick, [&] { return woken_ || stopping_; });
    }
}

bool sink_worker::drain_page() {
    auto page = store_.read([&](storage::read_view& v) { return v.outbox_page(cursor_, page_size); });
    int64_t done = cursor_;
    for (const auto& e : page) {
        {
            std::lock_guard lock(m_);
            if (stopping_) break;
        }
        std::optional<change_event> c;
        try {
            if (sink_->wants(e.kind)) c = parse_change_event(e);
        } catch (const std::exception& ex) {
            spdlog::error("sink {}: skipping event {}: {}", name_, e.id, ex.what());
        }
        if (c) {
            try {
                sink_->handle(*c, store_);
            } catch (const std::exception& ex) {
                store_cursor(done);
                on_failure(e.id, ex.what());
                return false;
            }
        }
        done = e.id;
    }
    store_cursor(done);
    if (backoff_.failures() > 0) spdlog::info("sink {}: delivering again after {} failure(s)", name_, backoff_.failures());
    backoff_.reset();
    return page.size() == page_size;
}

void sink_worker::store_cursor(int64_t id) {
    if (id <= cursor_) return;
    store_.write([&](storage::write_view& v) {
        v.set_sink_cursor(name_, id);
        return true;
    });
    cursor_ = id;
}

void sink_worker::on_failure(int64_t event, const std::string& what) {
    auto delay = backoff_.next();
    std::size_t backlog = 0;
    try {
        backlog = store_.read([&](storage::read_view& v) { return v.outbox_page(cursor_, 10000).size(); });
    } catch (const std::exception&) {
    }
    spdlog::warn("sink {}: delivery of event {} failed (attempt {}): {}; backlog {}{} event(s); retry in {} ms",
                 name_, event, backoff_.failures(), what, backlog >= 10000 ? ">=" : "", backlog, delay.count());
    std::unique_lock lock(m_);
    cv_.wait_for(lock, delay, [&] { return stopping_; });
}

}  // namespace cogsync::server
