// ListRecords (PROTOCOL.md 5.3, 5.9): records changed after lastSyncCount, tombstones included,
// in (SyncCount, Key) order; never creates the dataset; always issues a SyncSessionToken.
// Pages of one chain are cut from the snapshot count of the first page, so every record that
// existed then is returned exactly once; later changes carry higher counts for the next sync.
#include <exception>

#include "api/api_error.hpp"
#include "api/identity/merge.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/records_cursor.hpp"
#include "api/ops/shapes.hpp"
#include "api/ops/tokens.hpp"
#include "api/validate.hpp"

namespace cogsync::api::ops {
namespace {

// The NextToken's cursor, or 400 when it is not one this server sealed for this dataset.
records_cursor open_cursor(context& ctx, const storage::dataset_id& id, const std::string& token) {
    auto payload = ctx.tokens.unseal(token, dataset_binding("records", id));
    auto cursor = payload ? decode_records_cursor(*payload) : std::nullopt;
    if (!cursor) throw api_error(error_code::invalid_parameter, "Invalid NextToken");
    return std::move(*cursor);
}

struct listing {
    storage::dataset meta;
    list_window window;
    std::vector<storage::record> records;
    std::string next_token;
    std::vector<std::string> merged;  // MergedDatasetNames: live "<name>.<merged identity>" datasets
};

// The live datasets named "<name>.<source>" for each identity merged into this one (PROTOCOL.md 5.8).
std::vector<std::string> merged_names(storage::read_view& v, const storage::dataset_id& id) {
    std::vector<std::string> out;
    for (const auto& source : v.merged_into(id.pool, id.identity)) {
        storage::dataset_id merged{id.pool, id.identity, identity::merged_dataset_name(id.name, source)};
        if (v.load_dataset(merged).state == storage::dataset_state::live) out.push_back(std::move(merged.name));
    }
    return out;
}

listing read_listing(context& ctx, const storage::dataset_id& id, int64_t last, std::optional<std::size_t> limit,
                     const std::optional<std::string>& next, const std::optional<session_ticket>& ticket) {
    std::optional<records_cursor> resume;
    if (next) resume = open_cursor(ctx, id, *next);
    std::exception_ptr failure;
    auto out = ctx.store.read([&](storage::read_view& v) {
        listing l;
        try {
            if (ticket && v.session_used(ticket->id))
                throw api_error(error_code::invalid_parameter, "SyncSessionToken has already been used");
            l.meta = v.load_dataset(id);
            l.merged = merged_names(v, id);
            bool resumable = resume && l.meta.state == storage::dataset_state::live &&
                             l.meta.sync_count >= resume->window.dataset_sync_count;
            l.window = resumable ? resume->window : plan_list(l.meta, last);
            if (!l.window.exists) return l;
            storage::record_page_query q{l.window.after_sync_count, l.window.dataset_sync_count,
                                         resumable ? std::optional(resume->after) : std::nullopt,
                                         limit ? *limit + 1 : SIZE_MAX};
            l.records = v.records_page(id, q);
        } catch (...) {
            failure = std::current_exception();
        }
        return l;
    });
    if (failure) std::rethrow_exception(failure);
    if (limit && out.records.size() > *limit) {
        out.records.resize(*limit);
        out.next_token = ctx.tokens.seal(encode_records_cursor(out.window, out.records.back()), dataset_binding("records", id));
    }
    return out;
}

}  // namespace

step list_records(const call& c, context& ctx) {
    auto id = dataset_id_of(c);
    auto last_text = c.query_value("lastSyncCount");
    int64_t last = last_text ? parse_count(*last_text, "lastSyncCount") : 0;
    auto limit = page_size(c);
    std::optional<session_ticket> ticket;
    if (auto token = c.query_value("syncSessionToken")) ticket = open_session_token(ctx, id, *token);

    auto l = read_listing(ctx, id, last, limit, c.query_value("nextToken"), ticket);

    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("Records");
    w.StartArray();
    for (const auto& r : l.records) write_record(w, r);
    w.EndArray();
    w.Key("Count");
    w.Int64(static_cast<int64_t>(l.records.size()));
    w.Key("DatasetSyncCount");
    w.Int64(l.window.dataset_sync_count);
    if (l.window.exists) {
        write_string_member(w, "LastModifiedBy", l.meta.last_modified_by);
    }
    if (!l.merged.empty()) {
        w.Key("MergedDatasetNames");
        w.StartArray();
        for (const auto& name : l.merged) write_string(w, name);
        w.EndArray();
    }
    w.Key("DatasetExists");
    w.Bool(l.window.exists);
    w.Key("DatasetDeletedAfterRequestedSyncCount");
    w.Bool(l.window.deleted_after);
    if (!l.next_token.empty()) {
        write_string_member(w, "NextToken", l.next_token);
    }
    write_string_member(w, "SyncSessionToken", issue_session_token(ctx, id));
    w.EndObject();
    return json_response(buf);
}

}  // namespace cogsync::api::ops
