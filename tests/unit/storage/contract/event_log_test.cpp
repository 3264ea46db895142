// The event log (storage/record_store.hpp): ids only grow and are never reused, and a consumer
// that reads on from the last id it saw never skips an event, however late that event commits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <mutex>
#include <thread>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

outbox_event event(std::string payload) {
    return {0, "us-east-1:pool", "us-east-1:0001", "profile", "update", std::move(payload), 1};
}

std::vector<int64_t> ids_after(record_store& store, int64_t after) {
    std::vector<int64_t> out;
    for (const auto& e : store.read([&](read_view& v) { return v.outbox_page(after, SIZE_MAX); })) out.push_back(e.id);
    return out;
}

}  // namespace

TEST_CASE("an event that commits late is not skipped by a consumer that read on", "[events]") {
    // Declared before the store, whose jobs and completions use them until it is destroyed.
    std::latch started(1), release(1);
    std::atomic<int64_t> late_id{0}, early_id{0};
    std::promise<void> late_committed, early_committed;
    OPEN_EACH_BACKEND(s);
    s->write_async(
        [&](write_view& v) {
            late_id = v.append_outbox(event("late"));
            started.count_down();
            release.wait();
            return true;
        },
        [&](bool, std::exception_ptr) { late_committed.set_value(); });
    started.wait();
    s->write_async(
        [&](write_view& v) {
            early_id = v.append_outbox(event("early"));
            return true;
        },
        [&](bool, std::exception_ptr) { early_committed.set_value(); });
    // An engine with many writers may commit the second job now; one writer queues it.
    auto early = early_committed.get_future();
    early.wait_for(std::chrono::milliseconds(200));

    auto seen = ids_after(*s, 0);
    CHECK(std::find(seen.begin(), seen.end(), late_id.load()) == seen.end());  // not committed yet
    const int64_t last_seen = seen.empty() ? 0 : seen.back();
    release.count_down();
    late_committed.get_future().wait();
    early.wait();

    const auto later = ids_after(*s, last_seen);
    seen.insert(seen.end(), later.begin(), later.end());
    std::vector<int64_t> appended{late_id.load(), early_id.load()};
    std::sort(appended.begin(), appended.end());
    CHECK(seen == appended);
}

TEST_CASE("a consumer reading on from its last id sees every committed event once, in id order",
          "[events][concurrency]") {
    OPEN_EACH_BACKEND(s);
    constexpr int writers = 4, jobs_each = 150;
    std::mutex mu;
    std::vector<int64_t> committed;
    std::atomic<int> ids_not_growing{0};
    std::atomic<bool> writing{true};

    // The consumer reads pages on from the last id it saw and trims behind itself, as a sink does.
    std::vector<int64_t> seen;
    int not_after_cursor = 0;
    std::thread consumer([&] {
        int64_t last = 0;
        for (int round = 1;; ++round) {
            const bool writers_done = !writing;  // a page read after this is the final word
            const auto page = s->read([&](read_view& v) { return v.outbox_page(last, 64); });
            for (const auto& e : page) {
                if (e.id <= last) ++not_after_cursor;
                seen.push_back(e.id);
                last = e.id;
            }
            if (round % 16 == 0) must_write(*s, [&](write_view& v) { v.trim_outbox(last); });
            if (page.empty()) {
                if (writers_done) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }
    });

    // Each job appends one to three events; some roll back by returning false, some by throwing.
    std::vector<std::thread> threads;
    for (int t = 0; t < writers; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < jobs_each; ++i) {
                std::vector<int64_t> mine;
                bool kept = false;
                try {
                    kept = s->write([&](write_view& v) {
                        mine.clear();  // a job may run more than once
                        for (int k = 0; k <= i % 3; ++k)
                            mine.push_back(v.append_outbox(event(std::to_string(t) + "/" + std::to_string(i))));
                        if (i % 11 == 5) throw std::runtime_error("rolled back");
                        return i % 7 != 3;
                    });
                } catch (const std::runtime_error&) {
                }
                if (!std::is_sorted(mine.begin(), mine.end()) || std::adjacent_find(mine.begin(), mine.end()) != mine.end())
                    ++ids_not_growing;
                if (!kept) continue;
                std::lock_guard lock(mu);
                committed.insert(committed.end(), mine.begin(), mine.end());
            }
        });
    for (auto& th : threads) th.join();
    writing = false;
    consumer.join();

    std::sort(committed.begin(), committed.end());
    CHECK(ids_not_growing == 0);
    CHECK(std::adjacent_find(committed.begin(), committed.end()) == committed.end());  // no id given twice
    CHECK(not_after_cursor == 0);
    CHECK(seen.size() == committed.size());
    CHECK(seen == committed);  // nothing skipped, nothing extra, in id order
}
