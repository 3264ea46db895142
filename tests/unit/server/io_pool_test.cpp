// The I/O threads: each io_context run by one thread alone, the hooks around runs of handlers,
// and the release that lets them finish.
#include <catch2/catch.hpp>

#include <boost/asio/post.hpp>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "server/io_pool.hpp"

using cogsync::server::io_pool;
namespace asio = boost::asio;

TEST_CASE("each io_context of the pool runs on one thread of its own", "[io_pool]") {
    io_pool pool(3);
    std::vector<asio::io_context*> contexts;
    for (int i = 0; i < 6; ++i) contexts.push_back(&pool.next());
    CHECK(contexts[0] == contexts[3]);  // round robin
    CHECK(std::set<asio::io_context*>(contexts.begin(), contexts.end()).size() == 3);

    std::mutex mu;
    std::map<asio::io_context*, std::set<std::thread::id>> ran_on;
    for (int i = 0; i < 300; ++i) {
        auto* ioc = contexts[std::size_t(i) % 3];
        asio::post(*ioc, [&, ioc] {
            std::lock_guard lock(mu);
            ran_on[ioc].insert(std::this_thread::get_id());
        });
    }
    pool.release();
    pool.run();  // returns: every handler ran and nothing else holds the contexts
    std::set<std::thread::id> threads;
    for (auto* ioc : contexts) {
        REQUIRE(ran_on[ioc].size() == 1);
        threads.insert(*ran_on[ioc].begin());
    }
    CHECK(threads.size() == 3);
}

TEST_CASE("an I/O thread calls its hooks at start and after each run of ready handlers", "[io_pool]") {
    io_pool pool(1);
    std::vector<std::string> seen;  // one thread: no lock needed
    // Three handlers ready at once make one run; the one the last of them posts is ready before
    // the run ends, so it joins that run.
    for (int i = 0; i < 3; ++i) asio::post(pool.first(), [&] { seen.push_back("handler"); });
    asio::post(pool.first(), [&] {
        asio::post(pool.first(), [&] { seen.push_back("posted"); });
    });
    pool.release();
    pool.run({[&] { seen.push_back("start"); }, [&] { seen.push_back("after"); }});
    REQUIRE(seen.size() >= 6);
    CHECK(seen.front() == "start");
    CHECK(std::vector<std::string>(seen.begin() + 1, seen.begin() + 6) ==
          std::vector<std::string>{"handler", "handler", "handler", "posted", "after"});
    CHECK(seen.back() == "after");
}

TEST_CASE("a run of ready handlers ends after at most max_run of them", "[io_pool]") {
    io_pool pool(1);
    std::vector<int> runs{0};
    for (int i = 0; i < io_pool::max_run + 1; ++i) asio::post(pool.first(), [&] { ++runs.back(); });
    pool.release();
    pool.run({{}, [&] { runs.push_back(0); }});
    REQUIRE(runs.size() >= 2);
    CHECK(runs[0] == io_pool::max_run);
    CHECK(runs[1] == 1);
}

TEST_CASE("stop() ends every I/O thread even with work left", "[io_pool]") {
    io_pool pool(2);
    asio::post(pool.first(), [&] { pool.stop(); });
    pool.run();  // returns although the contexts were never released
    SUCCEED();
}
