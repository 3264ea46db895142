#include "server/hooks/sink_worker.hpp"

#include <pthread.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

namespace cogsync::server {

namespace {

constexpr auto tick = std::chrono::seconds(1);  // look for events even without a wake()

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The backoff delay after `attempts` failures of one parked delivery.
int64_t retry_delay_ms(int64_t attempts) {
    backoff b;
    std::chrono::milliseconds d{0};
    for (int64_t i = 0; i < attempts && i < 32; ++i) d = b.next();
    return d.count();
}

int64_t steady_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::string label(const storage::outbox_event& e, const std::string& target) {
    return event_id(e.id) + (target.empty() ? "" : " to " + target);
}

}  // namespace

sink_worker::sink_worker(std::string cursor_name, std::unique_ptr<sink> s, storage::record_store& store,
                         retry_limits limits, lease_terms lease)
    : name_(std::move(cursor_name)), sink_(std::move(s)), store_(store), limits_(limits), lease_(std::move(lease)) {}

sink_worker::~sink_worker() { stop(); }

void sink_worker::start() { thread_ = std::thread([this] { run(); }); }

void sink_worker::lease_until(int64_t steady) {
    bool gained = !holds_lease() && steady > steady_ms();
    lease_until_ = steady;
    if (gained) wake();
}

bool sink_worker::holds_lease() const { return steady_ms() < lease_until_.load(); }

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

bool sink_worker::stopping() {
    std::lock_guard lock(m_);
    return stopping_;
}

void sink_worker::run() {
    pthread_setname_np(pthread_self(), "cogsync-sink");
    for (;;) {
        {
            std::lock_guard lock(m_);
            if (stopping_) return;
            woken_ = false;
        }
        bool more = false;
        try {
            if (!holds_lease()) {
                if (delivering_) spdlog::info("sink {}: delivery stops here: another node holds the lease", name_);
                delivering_ = false;
            } else if (!delivering_) {
                cursor_ = store_.read([&](storage::read_view& v) { return v.sink_cursor(name_); });
                head_event_ = 0;
                delivering_ = true;
                spdlog::info("sink {}: delivering after event {} (lease taken)", name_, cursor_.load());
            }
            if (delivering_) more = drain_page();
            if (delivering_) retry_parked();  // between pages too, so a steady stream of events never starves retries
            retry_parked();  // between pages too, so a steady stream of events never starves retries
        } catch (const std::exception& e) {  // the store itself failed
            spdlog::error("sink {}: {}", name_, e.what());
            on_failure(cursor_ + 1, e.what());
            continue;
        }
        if (more) continue;
        auto wait = std::chrono::milliseconds(tick);
        if (next_due_ms_ != INT64_MAX) wait = std::clamp(std::chrono::milliseconds(next_due_ms_ - now_ms()),
                                                         std::chrono::milliseconds(0), wait);
        std::unique_lock lock(m_);
        cv_.wait_for(lock, wait, [&] { return woken_ || stopping_; });
    }
}

bool sink_worker::drain_page() {
    auto page = store_.read([&](storage::read_view& v) { return v.outbox_page(cursor_, page_size); });
    int64_t done = cursor_;
    for (const auto& e : page) {
        if (!may_deliver()) break;
        std::optional<change_event> c;
        try {
            if (sink_->wants(e.kind)) c = parse_change_event(e);
        } catch (const std::exception& ex) {
            spdlog::error("sink {}: skipping event {}: {}", name_, e.id, ex.what());
        }
        if (c && !deliver(e, *c)) {
            if (store_cursor(done)) on_failure(e.id, "");
            return false;
        }
        done = e.id;
    }
    if (!store_cursor(done)) return false;
    if (backoff_.failures() > 0) spdlog::info("sink {}: delivering again after {} failure(s)", name_, backoff_.failures());
    backoff_.reset();
    return page.size() == page_size;
}

bool sink_worker::deliver(const storage::outbox_event& e, const change_event& c) {
    auto now = now_ms();
    try {
        sink_->handle(c, store_);
        return true;
    } catch (const targets_failed& f) {
        failures_.fetch_add(f.failures.size(), std::memory_order_relaxed);
        for (const auto& t : f.failures) park(e, t.target, t.reason, t.refused, 1, now);
        return true;
    } catch (const delivery_refused& ex) {
        failures_.fetch_add(1, std::memory_order_relaxed);
        park(e, "", ex.what(), true, 1, now);
        return true;
    } catch (const std::exception& ex) {
        failures_.fetch_add(1, std::memory_order_relaxed);
        if (head_event_ != e.id) head_event_ = e.id, head_attempts_ = 0, head_first_ms_ = now;
        ++head_attempts_;
        spdlog::warn("sink {}: delivery of event {} failed (attempt {}): {}", name_, e.id, head_attempts_, ex.what());
        if (!past_limits(head_attempts_, head_first_ms_, now)) return false;
        park(e, "", ex.what(), false, head_attempts_, head_first_ms_);
        return true;
    }
}

void sink_worker::retry_parked() {
    auto due = store_.read([&](storage::read_view& v) { return v.due_deliveries(name_, now_ms(), page_size); });
    next_due_ms_ = INT64_MAX;
    for (const auto& d : due) {
        if (!may_deliver()) return;
        try {
            sink_->handle_target(parse_change_event(d.event), d.target, store_);
            store_.write([&](storage::write_view& v) {
                v.drop_parked(d.id);
                return true;
            });
            spdlog::info("sink {}: delivered {} after {} failed attempt(s)", name_, label(d.event, d.target), d.attempts);
        } catch (const delivery_refused& ex) {
            failures_.fetch_add(1, std::memory_order_relaxed);
            park(d.event, d.target, ex.what(), true, d.attempts + 1, d.first_failed_ms);
        } catch (const std::exception& ex) {
            failures_.fetch_add(1, std::memory_order_relaxed);
            park(d.event, d.target, ex.what(), false, d.attempts + 1, d.first_failed_ms);
        }
    }
}

void sink_worker::park(const storage::outbox_event& e, const std::string& target, const std::string& reason,
                       bool refused, int64_t attempts, int64_t first_failed_ms) {
    auto now = now_ms();
    storage::parked_delivery d;
    d.sink = name_;
    d.target = target;
    d.event = e;
    d.dead = refused || past_limits(attempts, first_failed_ms, now);
    d.attempts = attempts;
    d.first_failed_ms = first_failed_ms;
    d.next_ms = now + retry_delay_ms(attempts);
    d.reason = reason;
    store_.write([&](storage::write_view& v) {
        d.id = v.park_delivery(d);
        return true;
    });
    if (!d.dead) next_due_ms_ = std::min(next_due_ms_, d.next_ms);
    if (d.dead)
        spdlog::error("sink {}: dead letter {}: {} {} after {} attempt(s): {}; `cogsync dead-letters replay --id {}` "
                      "sends it again",
                      name_, d.id, label(e, target), refused ? "refused" : "given up", attempts, reason, d.id);
    else
        spdlog::warn("sink {}: delivery of {} failed (attempt {}): {}; retry in {} ms", name_, label(e, target),
                     attempts, reason, d.next_ms - now);
}

bool sink_worker::past_limits(int64_t attempts, int64_t first_failed_ms, int64_t now) const {
    if (limits_.max_attempts > 0 && attempts >= limits_.max_attempts) return true;
    auto age = std::chrono::duration_cast<std::chrono::milliseconds>(limits_.max_age).count();
    return age > 0 && now - first_failed_ms >= age;
}

bool sink_worker::store_cursor(int64_t id) {
    if (id <= cursor_) return true;
    bool stored = store_.write([&](storage::write_view& v) {
        if (!v.take_sink_lease(name_, lease_.holder, lease_.ttl_ms)) return false;
        v.set_sink_cursor(name_, id);
        return true;
    });
    if (!stored) {
        lease_until_ = 0;
        spdlog::warn("sink {}: lease lost to another node; events after {} are its to deliver", name_, cursor_.load());
        return false;
    }
    cursor_ = id;
    return true;
}

void sink_worker::on_failure(int64_t event, const std::string& what) {
    auto delay = backoff_.next();
    int64_t backlog = -1;
    try {
        backlog = store_.read([&](storage::read_view& v) { return v.outbox_backlog(cursor_); });
    } catch (const std::exception&) {
    }
    spdlog::warn("sink {}: event {} not delivered{}{}; backlog {} event(s); retry in {} ms", name_, event,
                 what.empty() ? "" : ": ", what, backlog, delay.count());
    std::unique_lock lock(m_);
    cv_.wait_for(lock, delay, [&] { return stopping_; });
}

}  // namespace cogsync::server
