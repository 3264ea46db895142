#pragma once
// Drives a request's steps to its answer on the calling thread, waiting for each write's commit
// and running outbound steps inline. For tests, fuzzers and tools: the server never blocks like
// this (server/http_session.cpp drives the same steps asynchronously).
#include "api/context.hpp"
#include "api/request.hpp"
#include "api/step.hpp"

namespace cogsync::api {

response run_to_answer(const request& req, context& ctx);
// The same from a step already taken (an operation called directly).
response run_to_answer(const request& req, context& ctx, step s);

}  // namespace cogsync::api
