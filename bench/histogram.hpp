#pragma once

#include <array>
#include <cstdint>

namespace cogsync::bench {

// Log-linear latency histogram in microseconds, HDR-style: values below 128 us are exact, above
// that each power of two is split into 64 buckets, so a reported percentile is within 1/64
// (~1.6 %) of the true value. Fixed size, so per-thread copies merge by addition.
class latency_histogram {
public:
    void record(std::uint64_t micros);
    void merge(const latency_histogram& other);

    std::uint64_t count() const { return count_; }
    std::uint64_t max() const { return max_; }
    double mean() const { return count_ ? double(sum_) / double(count_) : 0.0; }

    // Value (us) at or below which `fraction` (0..1) of the samples lie; 0 when empty.
    std::uint64_t percentile(double fraction) const;

private:
    static constexpr int linear_buckets_ = 128;
    static constexpr int sub_buckets_ = 64;
    static constexpr int groups_ = 40;  // up to 2^46 us, far beyond any timeout
    static constexpr int bucket_count_ = linear_buckets_ + sub_buckets_ * groups_;

    static int index_of(std::uint64_t micros);
    static std::uint64_t value_of(int index);

    std::array<std::uint64_t, bucket_count_> buckets_{};
    std::uint64_t count_ = 0;
    std::uint64_t sum_ = 0;
    std::uint64_t max_ = 0;
};

}  // namespace cogsync::bench
