#pragma once
// A push sink: for each "update" event of a pool with PushSync, one push per device subscribed
// to the dataset, except the writer's DeviceId, for devices whose platform the pool has an
// ApplicationArn for and the sink serves (PROTOCOL.md 7.1).
#include <memory>

#include "config/hooks_config.hpp"
#include "server/hooks/sink.hpp"

namespace cogsync::server {

class push_sink : public sink {
public:
    push_sink(config::name_filter platforms, std::unique_ptr<push_transport> transport)
        : platforms_(std::move(platforms)), transport_(std::move(transport)) {}
    void handle(const change_event& e, storage::record_store& store) override;

private:
    config::name_filter platforms_;
    std::unique_ptr<push_transport> transport_;
};

}  // namespace cogsync::server
