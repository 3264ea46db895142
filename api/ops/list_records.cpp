// ListRecords (PROTOCOL.md 5.3, 5.9): records changed after lastSyncCount, tombstones included,
// in (SyncCount, Key) order; never creates the dataset; always issues a SyncSessionToken.
// Pages of one chain are cut from the snapshot count of the first page, so every record that
// existed then is returned exactly once; later changes carry higher counts for the next sync.
#include <exception>

#include "api/api_error.hpp"
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

// The page to read, guessed before the dataset is known: from a NextToken, the page it names;
// else the records after lastSyncCount up to the dataset's count, which every record of it
// within this snapshot is at most (a merged copy's records may carry more: the check sees it).
storage::record_page_query guessed_page(int64_t last, const std::optional<records_cursor>& resume,
                                        std::optional<std::size_t> limit) {
    storage::record_page_query q;
    q.limit = limit ? *limit + 1 : SIZE_MAX;
    if (!resume) {
        q.after_sync_count = last;
        return q;
    }
    q.after_sync_count = resume->window.after_sync_count;
    q.max_sync_count = resume->window.dataset_sync_count;
    q.after = resume->after;
    return q;
}

// The guessed page is the page q asks for when both start at the same place with the same limit
// and every guessed record is within q's upper bound: q's records are then a prefix of the
// guess's order that the guess holds whole.
bool guess_holds(const storage::record_page_query& guess, const storage::record_page_query& q,
                 const std::vector<storage::record>& page) {
    auto same_cursor = [](const auto& a, const auto& b) {
        return a.has_value() == b.has_value() && (!a || (a->sync_count == b->sync_count && a->key == b->key));
    };
    if (guess.after_sync_count != q.after_sync_count || guess.limit != q.limit || !same_cursor(guess.after, q.after))
        return false;
    if (guess.max_sync_count < q.max_sync_count) return false;
    for (const auto& r : page)
        if (r.sync_count > q.max_sync_count) return false;
    return true;
}

listing read_listing(context& ctx, const storage::dataset_id& id, int64_t last, std::optional<std::size_t> limit,
                     const std::optional<std::string>& next, const std::optional<session_ticket>& ticket) {
    std::optional<records_cursor> resume;
    if (next) resume = open_cursor(ctx, id, *next);
    const auto guess = guessed_page(last, resume, limit);
    std::exception_ptr failure;
    auto out = ctx.store.read([&](storage::read_view& v) {
        listing l;
        try {
            auto start = v.start_listing(id, ticket, guess);
            if (start.session_used)
                throw api_error(error_code::invalid_parameter, "SyncSessionToken has already been used");
            l.meta = std::move(start.current);
            for (auto& merged : start.merged)
                if (merged.state == storage::dataset_state::live) l.merged.push_back(std::move(merged.id.name));
            bool resumable = resume && l.meta.state == storage::dataset_state::live &&
                             l.meta.sync_count >= resume->window.dataset_sync_count;
            l.window = resumable ? resume->window : plan_list(l.meta, last);
            if (!l.window.exists) return l;
            storage::record_page_query q{l.window.after_sync_count, l.window.dataset_sync_count,
                                         resumable ? std::optional(resume->after) : std::nullopt,
                                         limit ? *limit + 1 : SIZE_MAX};
            // A device polling a dataset nobody changed asks for an empty window: no read at all.
            if (start.page && guess_holds(guess, q, *start.page)) l.records = std::move(*start.page);
            else if (q.after_sync_count < q.max_sync_count) l.records = v.records_page(id, q);
        } catch (const api_error&) {
            // A refusal leaves the read as an answer; a storage failure is the store's to see
            // (it runs the read again when the connection it used was lost).
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
