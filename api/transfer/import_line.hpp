#pragma once
// Reads one line of an export file (api/transfer/export_lines.hpp) into storage values, checking
// its shape and each member against the model's constraints (api/validate.hpp: pool and identity
// id patterns, dataset name, key and value lengths, UTF-8) and the invariants of the store's rows
// (a deleted dataset holds no records, sync counts never run backwards). The server's limits,
// which span lines, are the loader's (api/transfer/import_loader.hpp). A refused line throws a
// std::exception whose message is the reason.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storage/hooks_model.hpp"
#include "storage/identity_model.hpp"
#include "storage/model.hpp"

namespace cogsync::api::transfer {

struct export_header {
    int64_t version = 0;
    int64_t created_ms = 0;
    std::string source;
};

struct record_entry {
    storage::dataset_id dataset;
    storage::record record;
};

// An identity with the logins linked to it and the ids of the identities merged into it.
struct identity_entry {
    storage::identity identity;
    std::vector<storage::identity_login> logins;
    std::vector<std::string> merged;
};

using import_item = std::variant<storage::pool_config, storage::device, storage::dataset, record_entry,
                                 storage::subscription, storage::identity_pool, identity_entry>;

// Longest line read: a value of 1048575 code points written as \uXXXX escapes, with room to spare.
inline constexpr std::size_t max_line_bytes = 8u << 20;

// The first line; refuses another format and a version newer than export_version.
export_header read_header(std::string_view line);
// Any later line; refuses a kind this version does not know.
import_item read_line(std::string_view line);
// The line's "kind" when it is a JSON object with a string kind, whatever else is wrong with it.
std::optional<std::string> kind_of(std::string_view line);

}  // namespace cogsync::api::transfer
