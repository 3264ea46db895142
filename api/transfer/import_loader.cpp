#include "api/transfer/import_loader.hpp"

#include <algorithm>
#include <optional>
#include <variant>

#include "api/transfer/import_apply.hpp"

namespace cogsync::api::transfer {
namespace {

// A batch is written once it holds this many lines or value bytes (one write job each).
constexpr int64_t batch_lines = 2000;
constexpr int64_t batch_bytes = 8 << 20;

using batch_entry = std::variant<dataset_block, single_line>;

std::string name_of(const storage::dataset_id& id) { return id.pool + "/" + id.identity + "/" + id.name; }

bool same_id(const storage::dataset_id& a, const storage::dataset_id& b) {
    return a.pool == b.pool && a.identity == b.identity && a.name == b.name;
}

}  // namespace

struct import_loader::impl {
    storage::record_store& store;
    import_limits limits;
    refusal refuse;
    import_counts n;
    bool header_ok = false;
    std::optional<dataset_block> open;  // the dataset whose record lines are being read
    int64_t refused_dataset_line = 0;   // a dataset line refused unread, whose records may follow
    std::vector<batch_entry> batch;
    int64_t held_lines = 0;
    int64_t held_bytes = 0;
    std::vector<std::pair<int64_t, std::string>> refusals;  // not yet reported

    void refuse_line(int64_t line, std::string why) {
        ++n.refused;
        refusals.emplace_back(line, std::move(why));
    }

    // The block's own checks, record line by record line; a refused record refuses the block.
    void add_record(int64_t line, record_entry e) {
        if (!open && refused_dataset_line > 0)
            return refuse_line(line, "follows line " + std::to_string(refused_dataset_line) +
                                         ", a dataset line that was refused");
        if (!open || !same_id(open->d.id, e.dataset))
            return refuse_line(line, "record of " + name_of(e.dataset) +
                                         " outside its dataset's lines (records follow their dataset line)");
        auto& b = *open;
        ++b.record_lines;
        auto bad = [&](std::string why) {
            ++b.bad_lines;
            refuse_line(line, std::move(why));
        };
        if (b.d.state == storage::dataset_state::deleted) return bad("a deleted dataset holds no records");
        if (e.record.sync_count > b.d.sync_count)
            return bad("sync_count " + std::to_string(e.record.sync_count) + " is above its dataset's " +
                       std::to_string(b.d.sync_count));
        if (!b.refusal.empty()) return;
        if (!b.keys.insert(e.record.key).second) return bad("the key appears twice in its dataset");
        held_bytes += static_cast<int64_t>(e.record.key.size() + (e.record.value ? e.record.value->size() : 0));
        if (e.record.value) {
            ++b.live;
            b.bytes += record_bytes(e.record.key, e.record.value);
        } else {
            ++b.tombstones;
            b.bytes += static_cast<int64_t>(e.record.key.size());
        }
        b.records.emplace_back(line, std::move(e.record));
        if (auto over = over_limit(b)) {
            b.refusal = *over;
            b.records.clear();
            b.keys.clear();
        }
    }

    // A line that could not be read while a dataset's lines are being read is taken for one of
    // its records unless it names another kind: loading the dataset without it could drop a
    // tombstone that clients rely on (PROTOCOL.md 5.6).
    void refuse_unread(int64_t line, std::string why, const std::optional<std::string>& kind) {
        if (open && (!kind || *kind == "record")) {
            ++open->record_lines;
            ++open->bad_lines;
        } else if (kind && *kind != "record") {
            close_block();
            refused_dataset_line = *kind == "dataset" ? line : 0;
        }
        refuse_line(line, std::move(why));
    }

    std::optional<std::string> over_limit(const dataset_block& b) const {
        const auto& l = limits.sync;
        const auto most = std::to_string(l.max_records);
        if (b.live > l.max_records) return "more than " + most + " live records, the limit";
        if (b.tombstones > l.max_records) return "more than " + most + " removed records, the limit";
        if (b.bytes > l.max_dataset_bytes)
            return "more than " + std::to_string(l.max_dataset_bytes) + " bytes, the limit";
        return std::nullopt;
    }

    void close_block() {
        if (!open) return;
        auto b = std::move(*open);
        open.reset();
        if (b.refusal.empty() && b.bad_lines > 0) b.refusal = std::to_string(b.bad_lines) + " of its record lines refused";
        if (b.refusal.empty()) {
            const auto t = with_tallies(b);
            if (t.num_records != b.d.num_records || t.data_storage != b.d.data_storage)
                b.refusal = "num_records " + std::to_string(b.d.num_records) + " and data_storage " +
                            std::to_string(b.d.data_storage) + " do not match its " + std::to_string(t.num_records) +
                            " live records of " + std::to_string(t.data_storage) + " bytes";
        }
        if (!b.refusal.empty()) {
            n.refused += b.record_lines - b.bad_lines;
            return refuse_line(b.line, "dataset " + name_of(b.d.id) + " not loaded: " + b.refusal);
        }
        held_lines += 1 + b.record_lines;
        batch.emplace_back(std::move(b));
    }

    void add_item(int64_t line, import_item item) {
        if (auto* r = std::get_if<record_entry>(&item)) return add_record(line, std::move(*r));
        close_block();
        refused_dataset_line = 0;
        if (auto* d = std::get_if<storage::dataset>(&item)) {
            open.emplace();
            open->line = line;
            open->d = std::move(*d);
            return;
        }
        ++held_lines;
        batch.emplace_back(single_line{line, std::move(item)});
    }

    void flush_if_full() {
        if (held_lines >= batch_lines || held_bytes >= batch_bytes) flush();
    }

    // One write job for the batch; results are captured afresh on each run of the job (a store
    // may run a job more than once, storage/record_store.hpp).
    void flush() {
        std::vector<apply_result> results;
        if (!batch.empty()) store.write([&](storage::write_view& v) {
            results.clear();
            for (const auto& e : batch)
                results.push_back(std::visit(
                    [&](const auto& x) {
                        if constexpr (std::is_same_v<std::decay_t<decltype(x)>, dataset_block>)
                            return apply_block(v, x, limits);
                        else return apply_single(v, x, limits);
                    },
                    e));
            return true;
        });
        for (std::size_t i = 0; i < batch.size(); ++i) count(batch[i], results[i]);
        batch.clear();
        held_lines = held_bytes = 0;
        report();
    }

    void count(const batch_entry& e, const apply_result& r) {
        const auto* b = std::get_if<dataset_block>(&e);
        const int64_t lines = b ? 1 + b->record_lines : 1;
        const int64_t line = b ? b->line : std::get<single_line>(e).line;
        if (r.how == applied::refused) {
            n.refused += lines - 1;
            if (!b || b->record_lines == 0) return refuse_line(line, r.reason);
            return refuse_line(line, r.reason + " (nor its " + std::to_string(b->record_lines) + " record lines)");
        }
        n.loaded += lines;
        if (r.how == applied::unchanged) n.unchanged += lines;
        else if (b) {
            ++n.datasets;
            n.records += b->record_lines;
        }
    }

    void report() {
        std::stable_sort(refusals.begin(), refusals.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [line, why] : refusals) refuse(line, why);
        refusals.clear();
    }
};

import_loader::import_loader(storage::record_store& store, import_limits limits, refusal refuse)
    : impl_(std::make_unique<impl>(impl{store, limits, std::move(refuse)})) {}

import_loader::~import_loader() = default;

bool import_loader::add(int64_t line_no, std::string_view text) {
    ++impl_->n.lines;
    if (line_no == 1) {
        try {
            read_header(text);
        } catch (const std::exception& e) {
            impl_->refuse_line(1, std::string("bad header: ") + e.what());
            impl_->report();
            return false;
        }
        impl_->header_ok = true;
        ++impl_->n.loaded;
        return true;
    }
    try {
        impl_->add_item(line_no, read_line(text));
    } catch (const std::exception& e) {
        impl_->refuse_unread(line_no, e.what(), kind_of(text));
    }
    impl_->flush_if_full();
    return true;
}

void import_loader::add_too_long(int64_t line_no) {
    ++impl_->n.lines;
    const auto why = "longer than " + std::to_string(max_line_bytes) + " bytes";
    if (line_no == 1) {
        impl_->refuse_line(1, "bad header: " + why);
        impl_->report();
        return;
    }
    impl_->refuse_unread(line_no, why, std::nullopt);
}

void import_loader::finish() {
    if (!impl_->header_ok) {
        if (impl_->n.lines == 0) {
            impl_->refuse_line(1, "bad header: the file is empty");
            impl_->report();
        }
        return;
    }
    impl_->close_block();
    impl_->flush();
}

const import_counts& import_loader::counts() const { return impl_->n; }

}  // namespace cogsync::api::transfer
