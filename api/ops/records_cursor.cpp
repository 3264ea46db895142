#include "api/ops/records_cursor.hpp"

#include <charconv>

namespace cogsync::api::ops {
namespace {

// Reads a decimal int64 followed by one space, and advances `in` past both.
bool take_number(std::string_view& in, int64_t& out) {
    auto [end, ec] = std::from_chars(in.data(), in.data() + in.size(), out);
    if (ec != std::errc{} || end == in.data() + in.size() || *end != ' ') return false;
    in.remove_prefix(static_cast<std::size_t>(end - in.data()) + 1);
    return true;
}

}  // namespace

std::string encode_records_cursor(const list_window& w, const storage::record& last) {
    return std::to_string(w.after_sync_count) + ' ' + std::to_string(w.dataset_sync_count) + ' ' +
           (w.deleted_after ? '1' : '0') + ' ' + std::to_string(last.sync_count) + ' ' + last.key;
}

std::optional<records_cursor> decode_records_cursor(std::string_view in) {
    records_cursor c;
    if (!take_number(in, c.window.after_sync_count) || !take_number(in, c.window.dataset_sync_count)) return std::nullopt;
    if (in.size() < 2 || (in[0] != '0' && in[0] != '1') || in[1] != ' ') return std::nullopt;
    c.window.deleted_after = in[0] == '1';
    in.remove_prefix(2);
    if (!take_number(in, c.after.sync_count)) return std::nullopt;
    // The key is the rest, byte for byte: the model gives RecordKey no pattern, so it may hold
    // any character, U+0000 included.
    c.after.key = std::string(in);
    c.window.exists = true;
    return c;
}

}  // namespace cogsync::api::ops
