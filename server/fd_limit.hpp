#pragma once
// The file-descriptor budget (README, --max-connections). Each connection holds one descriptor;
// the rest of the process needs a reserve: two per SQLite connection (database and WAL; one
// reader per worker and I/O thread, the writer, the checkpointer) and a fixed share for stdio,
// the listener, epoll and timer descriptors, the shared-memory index, the token key, log and
// stream files and outbound hook connections. At start the soft RLIMIT_NOFILE is raised to
// connections + reserve, up to the hard limit; below that, the connection cap is lowered to fit.
#include <cstddef>
#include <cstdint>

namespace cogsync::server {

// Descriptors the process may hold besides its client connections; reading_threads are the
// threads besides the I/O threads that open a read connection (outbound threads).
std::size_t fd_reserve(int reading_threads, int io_threads);

struct fd_budget {
    uint64_t soft_limit;          // the soft RLIMIT_NOFILE to run with
    std::size_t max_connections;  // the connection cap that fits under it (at least 1)
};

// Never lowers the soft limit. Raises it to max_connections + reserve when the hard limit allows;
// else to the hard limit, with the cap lowered to hard - reserve.
fd_budget plan_fd_budget(std::size_t max_connections, std::size_t reserve, uint64_t soft, uint64_t hard);

// Applies plan_fd_budget to this process and logs a warning when the cap had to be lowered;
// returns the cap to enforce.
std::size_t apply_fd_budget(std::size_t max_connections, std::size_t reserve);

}  // namespace cogsync::server
