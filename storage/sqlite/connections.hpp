#pragma once
// How each kind of connection to the store's file is opened and tuned. The roles never mix: one
// writer, one checkpointer, and read-only connections that cannot take the write lock.
#include <cstdint>
#include <memory>

#include "storage/sqlite/options.hpp"
#include "storage/sqlite/sqlite.hpp"

namespace cogsync::storage {

// WAL, synchronous per opts.sync, no automatic checkpoints (the checkpointer runs them so that no
// committing request pays for one), busy_timeout for the rare wait on a TRUNCATE checkpoint.
std::unique_ptr<connection> open_writer(const store_options& opts);

// Read-only: in WAL mode it reads its snapshot without ever waiting for the writer.
std::unique_ptr<connection> open_reader(const std::string& path);

// Runs checkpoints only. A short busy_timeout: a TRUNCATE checkpoint that would have to wait
// long for readers gives up and is retried on the next tick instead of stalling the writer.
std::unique_ptr<connection> open_checkpointer(const store_options& opts);

// The database's page size in bytes (at least 512): a WAL frame holds one page.
int64_t page_size(connection& c);

}  // namespace cogsync::storage
