#pragma once
// The outbox deliverer's own sink: a "bulk_publish" event that no stream sink serves (streams not
// configured or DISABLED, or no sink for the StreamName) would stay IN_PROGRESS forever; this
// records it FAILED with the reason (PROTOCOL.md 7.5). Ignores every other event.
#include <vector>

#include "server/hooks/stream_sink.hpp"

namespace cogsync::server {

class bulk_status_sink : public sink {
public:
    explicit bulk_status_sink(std::vector<const stream_sink*> stream_sinks) : stream_sinks_(std::move(stream_sinks)) {}
    void handle(const change_event& e, storage::record_store& store) override;
    bool wants(const std::string& kind) const override { return kind == "bulk_publish"; }

private:
    std::vector<const stream_sink*> stream_sinks_;
};

}  // namespace cogsync::server
