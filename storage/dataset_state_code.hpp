#pragma once
// datasets.state as every engine stores it. The numbers are part of the stored format (and of
// the SQL that filters on `state = 1`): never renumber.
#include <cstdint>

#include "storage/model.hpp"

namespace cogsync::storage {

inline int64_t state_code(dataset_state s) {
    switch (s) {
        case dataset_state::absent: return 0;
        case dataset_state::live: return 1;
        case dataset_state::deleted: return 2;
    }
    return 0;
}

inline dataset_state state_of(int64_t code) {
    if (code == 1) return dataset_state::live;
    if (code == 2) return dataset_state::deleted;
    return dataset_state::absent;
}

}  // namespace cogsync::storage
