#pragma once
// The payload of a ListRecords NextToken (PROTOCOL.md 5.9): the window of the first page (so every
// page is cut from the same snapshot) and the last (SyncCount, Key) returned. The token codec
// seals it; this only turns it into text and back.
#include <optional>
#include <string>
#include <string_view>

#include "api/sync_rules.hpp"
#include "storage/model.hpp"

namespace cogsync::api::ops {

struct records_cursor {
    list_window window;
    storage::record_cursor after;
};

std::string encode_records_cursor(const list_window& w, const storage::record& last);

// nullopt when the payload is not one encode_records_cursor wrote. Binary-safe: the key is the
// payload's tail, so a key holding U+0000 or spaces comes back whole.
std::optional<records_cursor> decode_records_cursor(std::string_view payload);

}  // namespace cogsync::api::ops
