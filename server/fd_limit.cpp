#include "server/fd_limit.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

namespace cogsync::server {
namespace {

constexpr std::size_t fixed_reserve = 64;
constexpr std::size_t per_sqlite_connection = 2;

uint64_t saturating_add(uint64_t a, uint64_t b) {
    return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max() : a + b;
}

}  // namespace

std::size_t fd_reserve(int reading_threads, int io_threads) {
    auto readers = static_cast<std::size_t>(std::max(reading_threads, 0) + std::max(io_threads, 0));
    return fixed_reserve + per_sqlite_connection * (readers + 2);
}

fd_budget plan_fd_budget(std::size_t max_connections, std::size_t reserve, uint64_t soft, uint64_t hard) {
    uint64_t needed = saturating_add(max_connections, reserve);
    if (soft >= needed) return {soft, max_connections};
    if (hard >= needed) return {needed, max_connections};
    uint64_t fits = hard > reserve ? hard - reserve : 1;
    return {std::max(soft, hard), static_cast<std::size_t>(std::min<uint64_t>(fits, max_connections))};
}

std::size_t apply_fd_budget(std::size_t max_connections, std::size_t reserve) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        spdlog::warn("getrlimit(RLIMIT_NOFILE) failed: {}; keeping --max-connections {}", std::strerror(errno),
                     max_connections);
        return max_connections;
    }
    auto plan = plan_fd_budget(max_connections, reserve, limit.rlim_cur, limit.rlim_max);
    if (plan.soft_limit != limit.rlim_cur) {
        rlimit raised = limit;
        raised.rlim_cur = plan.soft_limit;
        // Above fs.nr_open the kernel refuses even an unlimited hard limit: plan with what we have.
        if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
            spdlog::warn("could not raise the open-file limit from {} to {}: {}", limit.rlim_cur, plan.soft_limit,
                         std::strerror(errno));
            plan = plan_fd_budget(max_connections, reserve, limit.rlim_cur, limit.rlim_cur);
        }
    }
    if (plan.max_connections < max_connections)
        spdlog::warn("open-file limit {} leaves room for {} connections (besides {} descriptors kept for the "
                     "database, logs and hooks): --max-connections {} lowered to {}; raise the hard limit to at "
                     "least {} (systemd LimitNOFILE=, docker --ulimit nofile=, ulimit -Hn) or lower "
                     "--max-connections",
                     plan.soft_limit, plan.max_connections, reserve, max_connections, plan.max_connections,
                     saturating_add(max_connections, reserve));
    else
        spdlog::info("open-file limit {}: room for {} connections and {} other descriptors", plan.soft_limit,
                     max_connections, reserve);
    return plan.max_connections;
}

}  // namespace cogsync::server
