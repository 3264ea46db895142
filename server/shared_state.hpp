#pragma once
// What every connection shares: settings, the worker pool that runs operations off the I/O
// threads, the API context and the live connection count.
#include <atomic>
#include <boost/asio/thread_pool.hpp>

#include "api/context.hpp"
#include "config/settings.hpp"

namespace cogsync::server {

struct shared_state {
    const config::settings& settings;
    boost::asio::thread_pool& workers;
    api::context& api;
    std::atomic<std::size_t> connections{0};
};

}  // namespace cogsync::server
