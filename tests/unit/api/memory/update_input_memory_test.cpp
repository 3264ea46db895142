// How much UpdateRecords' body reader holds at its peak, measured: every malloc of this executable
// is counted (glibc's allocator behind a thin wrapper), so RapidJSON's own buffers count as much
// as the patches. A test executable of its own, since the wrapper replaces malloc for the whole
// process; sanitized builds, which replace malloc themselves, leave it out (tests/unit/api).
#include <malloc.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "api/ops/update_input.hpp"
#include "tests/support/dom_update_input.hpp"

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* p, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void __libc_free(void* p);
}

namespace {

std::atomic<int64_t> live_bytes{0};
std::atomic<int64_t> peak_bytes{0};

void* counted(void* p) {
    if (!p) return p;
    int64_t now = live_bytes += static_cast<int64_t>(malloc_usable_size(p));
    int64_t peak = peak_bytes.load();
    while (now > peak && !peak_bytes.compare_exchange_weak(peak, now)) {
    }
    return p;
}

void uncount(void* p) {
    if (p) live_bytes -= static_cast<int64_t>(malloc_usable_size(p));
}

}  // namespace

extern "C" {
void* malloc(std::size_t size) noexcept { return counted(__libc_malloc(size)); }
void* calloc(std::size_t count, std::size_t size) noexcept { return counted(__libc_calloc(count, size)); }
void free(void* p) noexcept {
    uncount(p);
    __libc_free(p);
}
void* realloc(void* p, std::size_t size) noexcept {
    uncount(p);
    void* q = __libc_realloc(p, size);
    counted(q ? q : (size ? p : nullptr));  // a failed realloc leaves p as it was
    return q;
}
void* memalign(std::size_t alignment, std::size_t size) noexcept { return counted(__libc_memalign(alignment, size)); }
void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
    return counted(__libc_memalign(alignment, size));
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
    void* p = counted(__libc_memalign(alignment, size));
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
}

namespace {

// Bytes the call holds at its peak beyond what was live before it, its result included.
template <class Fn>
int64_t peak_during(Fn&& fn) {
    int64_t before = live_bytes.load();
    peak_bytes = before;
    {
        auto result = fn();
        (void)result;
    }
    return peak_bytes.load() - before;
}

// An UpdateRecords body of patches with `key_chars`-character keys and `value_chars`-character
// values, as close to `size` bytes as whole patches get.
std::string body_of(std::size_t size, std::size_t key_chars, std::size_t value_chars) {
    std::string body = R"({"SyncSessionToken":"token","DeviceId":"device","RecordPatches":[)";
    for (int i = 0; body.size() + key_chars + value_chars + 80 < size; ++i) {
        auto n = std::to_string(i);
        std::string key = n + std::string(key_chars > n.size() ? key_chars - n.size() : 0, 'k');
        body += (i ? "," : "");
        body += R"({"Op":"replace","Key":")" + key + R"(","Value":")" + std::string(value_chars, 'v') +
                R"(","SyncCount":)" + n + R"(,"DeviceLastModifiedDate":1700574873.059})";
    }
    return body + "]}";
}

}  // namespace

TEST_CASE("the counter sees every allocation") {
    CHECK(peak_during([] { return std::string(1 << 20, 'x'); }) >= 1 << 20);
    CHECK(peak_during([] { return std::malloc(1 << 20); }) >= 1 << 20);  // RapidJSON's buffers are malloc'd
}

TEST_CASE("UpdateRecords' reader holds about the body's size again, the DOM several times it") {
    struct shape {
        const char* name;
        std::size_t key_chars, value_chars;
    };
    const std::size_t size = 8 * 1024 * 1024;
    for (auto s : {shape{"1 MiB values", 16, 1048000}, shape{"4 KiB values", 32, 4096}, shape{"200-byte values", 32, 200},
                   shape{"16-byte keys and values", 16, 16}}) {
        auto body = body_of(size, s.key_chars, s.value_chars);
        auto sax = peak_during([&] { return cogsync::api::ops::read_update_input(body); });
        auto dom = peak_during([&] { return cogsync::testing::dom_read_update_input(body); });
        INFO(s.name << ": body " << body.size() << " bytes; peak SAX " << sax << ", DOM " << dom);
        CHECK(sax < static_cast<int64_t>(2 * body.size()));
        CHECK(dom > sax);
    }
}
