#pragma once
// The export line of any item the import reads (api/transfer/import_line.hpp), for writers that
// hold items rather than store rows: `cogsync migrate` and the import fuzz target's round trip.
#include <string>

#include "api/transfer/import_line.hpp"

namespace cogsync::api::transfer {

std::string item_line(const import_item& item);

}  // namespace cogsync::api::transfer
