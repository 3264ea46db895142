#include "server/hooks/outbox_deliverer.hpp"

#include <pthread.h>

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

namespace cogsync::server {

namespace {

int64_t steady_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

lease_terms node_lease_terms(int64_t ttl_ms) {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    std::random_device r;
    char part[9];
    std::snprintf(part, sizeof part, "%08x", r());
    return {std::string(host) + "/" + std::to_string(getpid()) + "/" + part, ttl_ms};
}

outbox_deliverer::outbox_deliverer(storage::record_store& store, std::vector<std::pair<std::string, std::unique_ptr<sink>>> sinks,
                                   retry_limits limits, lease_terms lease)
    : store_(store), lease_(std::move(lease)) {
    for (auto& [name, s] : sinks)
        workers_.push_back(std::make_unique<sink_worker>(name, std::move(s), store, limits, lease_));
}

outbox_deliverer::~outbox_deliverer() { stop(); }

std::vector<outbox_deliverer::sink_status> outbox_deliverer::sinks() const {
    std::vector<sink_status> out;
    for (const auto& w : workers_) out.push_back({w->name(), w->holds_lease(), w->failures()});
    return out;
}

void outbox_deliverer::start() {
    std::lock_guard lock(m_);
    if (!workers_.empty()) spdlog::info("sink leases held as {} for {} ms unrenewed", lease_.holder, lease_.ttl_ms);
    renew_leases();
    for (auto& w : workers_) w->start();
    store_.on_outbox_committed([this] { notify(); });  // events another node committed
    started_ = true;
    ticker_ = std::thread([this] { run_ticks(); });
}

void outbox_deliverer::stop() {
    store_.on_outbox_committed({});  // returns once no call of notify() from the store is left
    {
        std::lock_guard lock(m_);
        if (stopping_) return;
        stopping_ = true;
    }
    cv_.notify_all();
    if (ticker_.joinable()) ticker_.join();
    for (auto& w : workers_) w->stop();
    release_leases();
}

void outbox_deliverer::notify() {
    std::lock_guard lock(m_);
    if (stopping_ || !started_) return;
    for (auto& w : workers_) w->wake();
}

void outbox_deliverer::run_ticks() {
    pthread_setname_np(pthread_self(), "cogsync-outbox");
    const auto tick = std::chrono::milliseconds(std::clamp<int64_t>(lease_.ttl_ms / 3, 1, 1000));
    std::unique_lock lock(m_);
    while (!cv_.wait_for(lock, tick, [&] { return stopping_; })) {
        lock.unlock();
        renew_leases();
        trim();
        lock.lock();
    }
}

// One transaction for every sink. Skipped while every lease is held and was renewed less than a
// third of the ttl ago, so an idle single node writes once every third of the ttl.
void outbox_deliverer::renew_leases() {
    if (workers_.empty()) return;
    const auto asked = steady_ms();
    bool all_held = std::all_of(workers_.begin(), workers_.end(), [](const auto& w) { return w->holds_lease(); });
    if (all_held && asked - renewed_ms_ < lease_.ttl_ms / 3) return;
    std::vector<char> held(workers_.size(), 0);
    try {
        store_.write([&](storage::write_view& v) {
            for (std::size_t i = 0; i < workers_.size(); ++i)
                held[i] = v.take_sink_lease(workers_[i]->name(), lease_.holder, lease_.ttl_ms);
            return true;
        });
    } catch (const std::exception& e) {  // the leases run out here on their own, as in the store
        if (!renew_failing_) spdlog::warn("sink leases not renewed: {}; delivery stops when they run out", e.what());
        renew_failing_ = true;
        return;
    }
    if (renew_failing_) spdlog::info("sink leases renewed again");
    renew_failing_ = false;
    for (std::size_t i = 0; i < workers_.size(); ++i) workers_[i]->lease_until(held[i] ? asked + lease_.ttl_ms : 0);
    if (std::all_of(held.begin(), held.end(), [](char h) { return h != 0; })) renewed_ms_ = asked;
}

void outbox_deliverer::release_leases() {
    if (workers_.empty()) return;
    try {
        store_.write([&](storage::write_view& v) {
            for (const auto& w : workers_) v.release_sink_lease(w->name(), lease_.holder);
            return true;
        });
    } catch (const std::exception& e) {
        spdlog::warn("sink leases not given up: {}; other nodes take them over once they run out", e.what());
    }
}

void outbox_deliverer::trim() {
    if (workers_.empty()) return;
    int64_t low = INT64_MAX;
    try {
        store_.read([&](storage::read_view& v) {
            for (const auto& w : workers_) low = std::min(low, v.sink_cursor(w->name()));
            return true;
        });
    } catch (const std::exception& e) {
        spdlog::error("outbox trim: {}", e.what());
        return;
    }
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
