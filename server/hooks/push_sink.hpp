#pragma once
// A push sink: for each "update" event of a pool with PushSync, one push per device subscribed
// to the dataset, except the writer's DeviceId, for devices whose platform the pool has an
// ApplicationArn for and the sink serves (PROTOCOL.md 7.1). Every device is tried; those that
// failed are reported together (targets_failed) and retried one by one (handle_target), so a
// device that fails delays no other. A retry reaches the device only while it is still
// subscribed.
#include <memory>

#include "config/hooks_config.hpp"
#include "server/hooks/sink.hpp"

namespace cogsync::server {

class push_sink : public sink {
public:
    push_sink(config::name_filter platforms, std::unique_ptr<push_transport> transport)
        : platforms_(std::move(platforms)), transport_(std::move(transport)) {}
    void handle(const change_event& e, storage::record_store& store) override;
    void handle_target(const change_event& e, const std::string& target, storage::record_store& store) override;

private:
    // The devices to push `e` to ("" = all, else only that DeviceId).
    std::vector<storage::device> targets(const change_event& e, storage::record_store& store,
                                         const std::string& only) const;
    void send(const change_event& e, const storage::device& d);

    config::name_filter platforms_;
    std::unique_ptr<push_transport> transport_;
};

}  // namespace cogsync::server
