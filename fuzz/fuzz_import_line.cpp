// One line of an export file (api/transfer/import_line.hpp) from an untrusted file: read_header
// and read_line accept it or refuse it with a std::exception, never crash. Property: a line they
// accept, written back (api/transfer/export_lines.hpp), reads back to an item that writes the same
// line again, so an export of imported data says what the file said.
#include <cstdint>
#include <exception>
#include <string>

#include "api/transfer/import_line.hpp"
#include "api/transfer/item_line.hpp"
#include "fuzz/fuzz_input.hpp"

using namespace cogsync::api::transfer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    std::string_view line(reinterpret_cast<const char*>(data), size);
    try {
        read_header(line);
    } catch (const std::exception&) {
    }
    std::string once;
    try {
        once = item_line(read_line(line));
    } catch (const std::exception&) {
        return 0;
    }
    try {
        if (item_line(read_line(once)) != once) cogsync::fuzz::property_failed();
    } catch (const std::exception&) {
        cogsync::fuzz::property_failed();
    }
    return 0;
}
