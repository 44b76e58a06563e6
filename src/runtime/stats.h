// Statistics per (tag, pool kind), kept per thread and summed on read.
//
// poolmon, the tool Windows developers use to see who holds pool, splits
// only paged from nonpaged; the point of nxpool's table is the NX/executable
// split. Every allocation and free lands here, so the update must cost a few
// nanoseconds and never touch a cache line another thread writes: each
// thread owns a table of rows (open addressing, the last row used cached),
// updated with relaxed loads and stores that compile to plain moves. Readers
// walk every table under the registry mutex and sum.
//
// A thread's table outlives the thread: on exit it is parked and handed to
// the next new thread, so counts are never lost and thread churn does not
// grow memory. Tables that fill up (more than 3/4 of k_rows distinct keys in
// one thread) spill into a shared overflow map under a mutex.
//
// Tested by tests/runtime/stats_test.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include "arena.h"

namespace nxpool::rt {

void stats_alloc(std::uint32_t tag, Kind kind, std::size_t bytes);
void stats_free(std::uint32_t tag, Kind kind, std::size_t bytes);

// Parks the calling thread's table for reuse (called at thread exit).
void stats_thread_exit();

}  // namespace nxpool::rt
