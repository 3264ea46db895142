// One line of an export file (api/transfer/import_line.hpp) from an untrusted file: read_header
// and read_line accept it or refuse it with a std::exception, never crash. Property: a line they
// accept, written back (api/transfer/export_lines.hpp), reads back to an item that writes the same
// line again, so an export of imported data says what the file said.
#include <cstdint>
#include <exception>
#include <string>
#include <variant>

#include "api/transfer/export_lines.hpp"
#include "api/transfer/import_line.hpp"
#include "fuzz/fuzz_input.hpp"

namespace {

using namespace cogsync::api::transfer;

std::string write_back(const import_item& item) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, cogsync::storage::pool_config>) return pool_line(x);
            else if constexpr (std::is_same_v<T, cogsync::storage::device>) return device_line(x);
            else if constexpr (std::is_same_v<T, cogsync::storage::dataset>) return dataset_line(x);
            else if constexpr (std::is_same_v<T, record_entry>) return record_line(x.dataset, x.record);
            else return subscription_line(x);
        },
        item);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    std::string_view line(reinterpret_cast<const char*>(data), size);
    try {
        read_header(line);
    } catch (const std::exception&) {
    }
    std::string once;
    try {
        once = write_back(read_line(line));
    } catch (const std::exception&) {
        return 0;
    }
    try {
        if (write_back(read_line(once)) != once) cogsync::fuzz::property_failed();
    } catch (const std::exception&) {
        cogsync::fuzz::property_failed();
    }
    return 0;
}
