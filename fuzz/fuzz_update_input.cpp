// UpdateRecords' SAX body reader (api/ops/update_input.hpp) against the DOM reader it replaced
// (tests/support/dom_update_input.hpp) on arbitrary bodies: both must read the same patches,
// token and device id, or refuse with the same error type and message. Only api_error may escape.
#include <cstdint>
#include <string>

#include "api/ops/update_input.hpp"
#include "fuzz/fuzz_input.hpp"
#include "tests/support/dom_update_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    using namespace cogsync;
    std::string_view body(reinterpret_cast<const char*>(data), size);
    if (testing::outcome_of(api::ops::read_update_input, body) != testing::outcome_of(testing::dom_read_update_input, body))
        fuzz::property_failed();
    return 0;
}
