// The descriptor budget (server/fd_limit.hpp): the reserve, and what becomes of the soft limit and
// the connection cap for each soft and hard limit.
#include <catch2/catch.hpp>

#include <limits>

#include "server/fd_limit.hpp"

using namespace cogsync::server;

namespace {
constexpr uint64_t unlimited = std::numeric_limits<uint64_t>::max();
}

TEST_CASE("fd budget: the reserve grows with the SQLite connections") {
    CHECK(fd_reserve(32, 2) == 64 + 2 * 36);
    CHECK(fd_reserve(1, 1) == 64 + 2 * 4);
    CHECK(fd_reserve(-5, 0) == 64 + 2 * 2);
}

TEST_CASE("fd budget: a soft limit that suffices is kept, never lowered") {
    auto b = plan_fd_budget(4096, 136, 1u << 20, 1u << 20);
    CHECK(b.soft_limit == 1u << 20);
    CHECK(b.max_connections == 4096);
    b = plan_fd_budget(4096, 136, 4232, 4232);
    CHECK(b.soft_limit == 4232);
    CHECK(b.max_connections == 4096);
}

TEST_CASE("fd budget: the soft limit is raised to connections + reserve when the hard limit allows") {
    auto b = plan_fd_budget(4096, 136, 1024, 524288);  // systemd's defaults
    CHECK(b.soft_limit == 4232);
    CHECK(b.max_connections == 4096);
    b = plan_fd_budget(4096, 136, 1024, unlimited);
    CHECK(b.soft_limit == 4232);
    CHECK(b.max_connections == 4096);
    b = plan_fd_budget(4096, 136, 1024, 4232);
    CHECK(b.soft_limit == 4232);
    CHECK(b.max_connections == 4096);
}

TEST_CASE("fd budget: below the hard limit's reach the cap is lowered to fit") {
    auto b = plan_fd_budget(4096, 136, 1024, 1024);
    CHECK(b.soft_limit == 1024);
    CHECK(b.max_connections == 1024 - 136);
    b = plan_fd_budget(4096, 136, 256, 4231);
    CHECK(b.soft_limit == 4231);
    CHECK(b.max_connections == 4095);
    b = plan_fd_budget(4096, 136, 64, 100);  // not even the reserve: one connection still
    CHECK(b.soft_limit == 100);
    CHECK(b.max_connections == 1);
}

TEST_CASE("fd budget: a huge --max-connections does not overflow") {
    auto b = plan_fd_budget(std::numeric_limits<std::size_t>::max(), 136, 1024, 1u << 20);
    CHECK(b.soft_limit == 1u << 20);
    CHECK(b.max_connections == (1u << 20) - 136);
    b = plan_fd_budget(std::numeric_limits<std::size_t>::max(), 136, 1024, unlimited);
    CHECK(b.soft_limit == unlimited);
}
