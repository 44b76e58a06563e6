// fork() safety for the runtime's locks.
//
// A child process has only the thread that called fork. Had another thread
// been inside one of the runtime's critical sections (a central free list,
// an arena, the large-block table, the statistics registry) at that moment,
// the child would find that lock held forever - and GTest's default "fast"
// death tests fork multi-threaded test programs all the time. So every such
// critical section is also entered under a process-wide gate in shared mode,
// and fork takes the gate exclusively first (pthread_atfork, heap.cpp): the
// fork then happens while no thread is inside any of them. The parent then
// unlocks it; the child initialises it afresh, because glibc's rwlock records
// the writer's thread id, which the child's only thread no longer has. One gate rather
// than taking every lock in the prepare handler, because ThreadSanitizer
// cannot track a thread holding more than 64 locks.
//
// Only slow paths (refills, overflows, new spans, large blocks, statistics
// rows and reads) pass the gate; allocation and free from the thread cache
// never do. Critical sections are never nested, so the gate is never taken
// twice by one thread.
//
// Tested by tests/runtime/fork_test.cpp.
#pragma once

#include <pthread.h>

namespace nxpool::rt {

// Writer-preferring: with the default reader preference, threads that keep
// passing the gate would starve a fork forever. Non-recursive is fine since
// the gate is never taken twice by one thread.
inline void fork_gate_init(pthread_rwlock_t *g) {
  pthread_rwlockattr_t attr;
  pthread_rwlockattr_init(&attr);
#if defined(__GLIBC__)
  pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
  pthread_rwlock_init(g, &attr);
  pthread_rwlockattr_destroy(&attr);
}

inline pthread_rwlock_t *fork_gate() {
  static pthread_rwlock_t *gate = [] {
    // Never destroyed: threads may still allocate while static destructors run.
    auto *g = new pthread_rwlock_t;
    fork_gate_init(g);
    return g;
  }();
  return gate;
}

// Holds the gate in shared mode for a critical section.
class ForkGuard {
 public:
  ForkGuard() { pthread_rwlock_rdlock(fork_gate()); }
  ~ForkGuard() { pthread_rwlock_unlock(fork_gate()); }
  ForkGuard(const ForkGuard &) = delete;
  ForkGuard &operator=(const ForkGuard &) = delete;
};

}  // namespace nxpool::rt
