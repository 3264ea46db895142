#pragma once
// For unit tests of the API layer: the code of the api_error `fn` throws (the test fails if it
// throws none).
#include <catch2/catch.hpp>
#include <functional>

#include "api/api_error.hpp"

namespace cogsync::testing {

inline api::error_code code_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const api::api_error& e) {
        return e.code();
    }
    FAIL("no api_error thrown");
    return api::error_code::internal_error;
}

}  // namespace cogsync::testing
