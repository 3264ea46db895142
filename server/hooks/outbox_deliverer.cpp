#include "server/hooks/outbox_deliverer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace cogsync::server {

namespace {
constexpr auto tick = std::chrono::seconds(1);
}

outbox_deliverer::outbox_deliverer(storage::record_store& store, std::vector<std::pair<std::string, std::unique_ptr<sink>>> sinks,
                                   retry_limits limits)
    : store_(store) {
    for (auto& [name, s] : sinks) workers_.push_back(std::make_unique<sink_worker>(name, std::move(s), store, limits));
}

outbox_deliverer::~outbox_deliverer() { stop(); }

std::vector<outbox_deliverer::sink_status> outbox_deliverer::sinks() const {
    std::vector<sink_status> out;
    for (const auto& w : workers_) out.push_back({w->name(), w->cursor(), w->failures()});
    return out;
}

void outbox_deliverer::start() {
    std::lock_guard lock(m_);
    for (auto& w : workers_) w->start();
    started_ = true;
    ticker_ = std::thread([this] { run_ticks(); });
}

void outbox_deliverer::stop() {
    {
        std::lock_guard lock(m_);
        if (stopping_) return;
        stopping_ = true;
    }
    cv_.notify_all();
    if (ticker_.joinable()) ticker_.join();
    for (auto& w : workers_) w->stop();
}

void outbox_deliverer::notify() {
    std::lock_guard lock(m_);
    if (stopping_ || !started_) return;
    for (auto& w : workers_) w->wake();
}

void outbox_deliverer::run_ticks() {
    std::unique_lock lock(m_);
    while (!cv_.wait_for(lock, tick, [&] { return stopping_; })) {
        lock.unlock();
        trim();
        lock.lock();
    }
}

void outbox_deliverer::trim() {
    if (workers_.empty()) return;
    int64_t low = INT64_MAX;
    for (const auto& w : workers_) low = std::min(low, w->cursor());
    if (low <= trimmed_) return;
    try {
        store_.write([&](storage::write_view& v) {
            v.trim_outbox(low);
            return true;
        });
        trimmed_ = low;
    } catch (const std::exception& e) {
        spdlog::error("outbox trim up to {}: {}", low, e.what());
    }
}

}  // namespace cogsync::server
