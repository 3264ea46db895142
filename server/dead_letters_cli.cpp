#include "server/dead_letters_cli.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "server/hooks/delivered_change.hpp"
#include "storage/open_store.hpp"

namespace cogsync::server {

namespace {

// Sinks are stored under their cursor name, "sink.<section name>".
std::string stored_sink_name(const std::string& sink) {
    return sink.empty() || sink.rfind("sink.", 0) == 0 || sink.rfind("internal.", 0) == 0 ? sink : "sink." + sink;
}

int list(storage::record_store& store, const std::string& sink, int64_t only) {
    for (const auto& c : store.read([](storage::read_view& v) { return v.dead_letter_counts(); }))
        if (sink.empty() || c.sink == sink) std::printf("sink %s dead %lld total %lld\n", c.sink.c_str(),
                                                        static_cast<long long>(c.dead), static_cast<long long>(c.total));
    int64_t after = 0;
    bool found = false;
    for (;;) {
        auto page = store.read([&](storage::read_view& v) { return v.dead_letters(sink, after, 500); });
        for (const auto& d : page) {
            if (only != 0 && d.id != only) continue;
            found = true;
            auto id = d.target.empty() ? event_id(d.event.id) : push_event_id(d.event.id, d.target);
            std::printf("%lld %s %s attempts %lld %s\n", static_cast<long long>(d.id), d.sink.c_str(), id.c_str(),
                        static_cast<long long>(d.attempts), d.reason.c_str());
        }
        if (page.size() < 500) break;
        after = page.back().id;
    }
    return only != 0 && !found ? 1 : 0;
}

}  // namespace

int run_dead_letters(const config::dead_letters_command& c) {
    storage::store_options o;
    o.path = c.data_dir + "/cogsync.db";
    if (c.store.empty() && !std::filesystem::exists(o.path)) throw std::runtime_error("no database at " + o.path);
    const auto opened = storage::open_store(c.store, o);
    storage::record_store& store = *opened;
    auto sink = stored_sink_name(c.sink);
    if (c.action == "list") return list(store, sink, c.id);
    using namespace std::chrono;
    auto now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    int64_t replayed = 0;
    store.write([&](storage::write_view& v) {
        replayed = v.replay_dead_letters(sink, c.id, now);
        return true;
    });
    std::printf("replayed %lld\n", static_cast<long long>(replayed));
    return c.id != 0 && replayed == 0 ? 1 : 0;
}

}  // namespace cogsync::server
