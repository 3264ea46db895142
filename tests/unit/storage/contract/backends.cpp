#include "tests/unit/storage/contract/backends.hpp"

#include "storage/sqlite/sqlite_store.hpp"

namespace cogsync::storage::testing {

const std::vector<backend>& backends() {
    static const std::vector<backend> all{
        {"sqlite",
         [](const temp_dir& dir) {
             store_options o;
             o.path = dir.db();
             return std::make_unique<sqlite_store>(std::move(o));
         }},
    };
    return all;
}

}  // namespace cogsync::storage::testing
