#pragma once
// The store contract suite: every test case in tests/unit/storage/contract/ runs once for every
// backend listed in backends.cpp, against nothing but the record_store interface
// (storage/record_store.hpp). An engine is done when it passes all of them.
//
// To add an engine, add one row to backends.cpp: its name and an `open` function. open(dir)
// returns a store over the data kept for `dir`: empty the first time, and exactly what the
// previous store committed when it is called again after that store was destroyed (the tests of
// node state, session counts and durability reopen a store this way). An embedded engine keeps
// its files in dir.path(); an engine behind a server derives a database or schema name from
// dir.path() and creates it on first use. Link the engine into unit_storage
// (tests/unit/storage/CMakeLists.txt). Engine-only behaviour (its threads, files, tuning) is
// tested in the engine's own folder, as tests/unit/storage/sqlite/ does.
//
// In a test case, OPEN_EACH_BACKEND(s) opens a fresh store in a fresh directory; `*s` is the
// record_store, and a failure message names the backend it happened on.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storage/record_store.hpp"
#include "tests/unit/storage/store_fixture.hpp"

namespace cogsync::storage::testing {

struct backend {
    std::string name;
    std::function<std::unique_ptr<record_store>(const temp_dir&)> open;
};

const std::vector<backend>& backends();

// One backend's store over a directory of its own, reopened on demand.
class contract_store {
public:
    explicit contract_store(backend b) : backend_(std::move(b)), store_(backend_.open(dir_)) {}

    record_store& operator*() { return *store_; }
    record_store* operator->() { return store_.get(); }
    const std::string& name() const { return backend_.name; }
    const backend& engine() const { return backend_; }

    // A second store over the same data while this one stays open: another node.
    std::unique_ptr<record_store> open_another() { return backend_.open(dir_); }

    // Destroys the store (which runs what was queued) and opens the same data again.
    void reopen() {
        store_.reset();
        store_ = backend_.open(dir_);
    }

private:
    backend backend_;
    temp_dir dir_;
    std::unique_ptr<record_store> store_;
};

}  // namespace cogsync::storage::testing

#define OPEN_EACH_BACKEND(s)                                                                          \
    ::cogsync::storage::testing::contract_store s(GENERATE(from_range(::cogsync::storage::testing::backends()))); \
    INFO("backend: " << s.name())
