#include "api/transfer/item_line.hpp"

#include "api/transfer/export_lines.hpp"

namespace cogsync::api::transfer {

std::string item_line(const import_item& item) {
    if (const auto* d = std::get_if<storage::dataset>(&item)) return dataset_line(*d);
    if (const auto* r = std::get_if<record_entry>(&item)) return record_line(r->dataset, r->record);
    if (const auto* i = std::get_if<identity_entry>(&item)) return identity_line(i->identity, i->logins, i->merged);
    if (const auto* p = std::get_if<storage::identity_pool>(&item)) return identity_pool_line(*p);
    if (const auto* c = std::get_if<storage::pool_config>(&item)) return pool_line(*c);
    if (const auto* v = std::get_if<storage::device>(&item)) return device_line(*v);
    return subscription_line(std::get<storage::subscription>(item));
}

}  // namespace cogsync::api::transfer
