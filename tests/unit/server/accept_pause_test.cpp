// What the listener does when accept runs out of descriptors (server/listener.hpp): the pause
// schedule and the throttled warning (server/log_throttle.hpp).
#include <catch2/catch.hpp>

#include <chrono>
#include <vector>

#include "server/backoff.hpp"
#include "server/log_throttle.hpp"

using namespace cogsync::server;

TEST_CASE("accept pause: 50 ms doubling up to 1 s, from 50 ms again after an accept") {
    backoff b(std::chrono::milliseconds(50), std::chrono::seconds(1));
    std::vector<long> got;
    for (int i = 0; i < 8; ++i) got.push_back(static_cast<long>(b.next().count()));
    CHECK(got == std::vector<long>{50, 100, 200, 400, 800, 1000, 1000, 1000});
    b.reset();
    CHECK(b.next().count() == 50);
}

TEST_CASE("log throttle: one line per interval, counting what it held back") {
    using namespace std::chrono_literals;
    log_throttle t(10s);
    log_throttle::clock::time_point start{};
    CHECK(t.admit(start) == std::optional<std::size_t>(0));
    CHECK_FALSE(t.admit(start + 1ms));
    CHECK_FALSE(t.admit(start + 9999ms));
    CHECK(t.admit(start + 10s) == std::optional<std::size_t>(2));
    CHECK_FALSE(t.admit(start + 15s));
    CHECK(t.admit(start + 30s) == std::optional<std::size_t>(1));
}
