#include "bench/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace cogsync::bench {

int latency_histogram::index_of(std::uint64_t micros) {
    if (micros < linear_buckets_) {
        return int(micros);
    }
    // shift >= 1 so that (micros >> shift) falls in [64, 128).
    const int msb = 63 - std::countl_zero(micros);
    const int shift = msb - 6;
    const int group = std::min(shift - 1, groups_ - 1);
    const auto sub = int(std::min<std::uint64_t>(micros >> shift, 127)) - sub_buckets_;
    return linear_buckets_ + group * sub_buckets_ + sub;
}

// Midpoint of the bucket, the best single estimate of the samples in it.
std::uint64_t latency_histogram::value_of(int index) {
    if (index < linear_buckets_) {
        return std::uint64_t(index);
    }
    const int group = (index - linear_buckets_) / sub_buckets_;
    const int sub = (index - linear_buckets_) % sub_buckets_ + sub_buckets_;
    const int shift = group + 1;
    return (std::uint64_t(sub) << shift) + ((std::uint64_t(1) << shift) >> 1);
}

void latency_histogram::record(std::uint64_t micros) {
    ++buckets_[std::size_t(index_of(micros))];
    ++count_;
    sum_ += micros;
    max_ = std::max(max_, micros);
}

void latency_histogram::merge(const latency_histogram& other) {
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        buckets_[i] += other.buckets_[i];
    }
    count_ += other.count_;
    sum_ += other.sum_;
    max_ = std::max(max_, other.max_);
}

std::uint64_t latency_histogram::percentile(double fraction) const {
    if (count_ == 0) {
        return 0;
    }
    const auto rank = std::max<std::uint64_t>(1, std::uint64_t(std::ceil(fraction * double(count_))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        seen += buckets_[i];
        if (seen >= rank) {
            return std::min(value_of(int(i)), max_);
        }
    }
    return max_;
}

}  // namespace cogsync::bench
