/*
 * nxpool/runtime.h - libnxpool's own extension API (the nxpool_* functions).
 *
 * The WDK functions (ExAllocatePool2, KeBugCheckEx, ...) are declared in
 * pool.h and lookaside.h; this header adds what a user-mode pool needs on top:
 * asking whether a block is executable, choosing the simulated Windows
 * version, taking over bug checks and raises, and reading per-tag statistics
 * split by pool kind. Included by the umbrella <nxpool/wdm.h>.
 *
 * Every function here may be called from any thread at any time unless its
 * comment says otherwise. None of them allocates from the pool.
 *
 * C11- and C++-clean.
 */
#ifndef NXPOOL_RUNTIME_H
#define NXPOOL_RUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ntdef.h"

NXPOOL_EXTERN_C_BEGIN

/* ---- page protection --------------------------------------------------- */

/* Whether the live pool block containing `p` sits on executable pages.
 * Returns 1 (executable), 0 (no-execute) or -1 when `p` is not inside a live
 * pool block: NULL, a freed block, stack or malloc memory, any address at
 * all. `p` may point anywhere within the bytes that were requested for the
 * block. Never faults, whatever `p` is. */
int nxpool_is_executable(const void *p);

/* ---- simulated Windows version ------------------------------------------ */

/* Sets the version RtlGetVersion reports from now on, for example (6, 1) for
 * Windows 7 or (6, 2) for Windows 8, which is what ExInitializeDriverRuntime
 * compares against. The default is 10.0. At start-up the environment variable
 * NXPOOL_OS_VERSION ("MAJOR.MINOR", e.g. "6.1") sets it; a malformed value
 * prints a warning to stderr and keeps 10.0. A later call to this function
 * overrides the environment. */
void nxpool_set_os_version(unsigned major, unsigned minor);

/* ---- bug checks and raises ----------------------------------------------
 * By default KeBugCheckEx prints a report to stderr - the code, each of the
 * four parameters decoded into words, the caller's address (and symbol when
 * the dynamic linker knows it) - and calls abort(), so the process dies with
 * SIGABRT. ExRaiseStatus does the same with the status. A test, or a C++
 * program that prefers exceptions, installs a handler instead:
 *
 *  - the handler runs on the thread that detected the problem, with no
 *    runtime lock held, so it may allocate, free, longjmp, or (C++ only)
 *    throw - the runtime's state stays consistent;
 *  - when it returns, the operation that detected the problem fails safely
 *    and execution continues: an allocation returns NULL, a bad free is
 *    ignored (the block, if any, stays allocated), and a direct call to
 *    KeBugCheckEx/ExRaiseStatus simply returns.
 *
 * Bug checks the runtime itself raises (BAD_POOL_CALLER, code 0xC2):
 *   P1 0x07  freeing a block that is no longer allocated (P4 = address)
 *   P1 0x0A  freeing with a tag other than the allocation's
 *            (P2 = address, P3 = allocation tag, P4 = tag given)
 *   P1 0x46  freeing an address that is not a pool block (P2 = address)
 *   P1 0x9A  a must-succeed pool type (P2 = type, P3 = bytes, P4 = tag)
 *   P1 0x9B  tag 0 given to a tagged allocator
 *            (P2 = type, P3 = bytes, P4 = caller's address)
 *
 * Each setter returns the previous handler; NULL restores the default.
 * The setters are atomic; a handler must stay callable while installed. */
typedef void (*nxpool_bugcheck_handler)(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3,
                                        ULONG_PTR p4);
nxpool_bugcheck_handler nxpool_set_bugcheck_handler(nxpool_bugcheck_handler handler);

typedef void (*nxpool_raise_handler)(NTSTATUS status);
nxpool_raise_handler nxpool_set_raise_handler(nxpool_raise_handler handler);

/* ---- Driver-Verifier-style checks -----------------------------------------
 * Options numbered as `verifier /flags` numbers them. Set them with
 * nxpool_set_verifier_flags() (returns the previous flags; thread-safe;
 * takes effect for later calls) or, at start-up, with the environment
 * variable NXPOOL_VERIFIER: a number (0x0200000C) or a comma list of the
 * words special-pool, low-resources, pool-tracking, code-integrity, none.
 * A malformed or overflowing value warns on stderr and leaves the checks
 * off; a bit this runtime does not implement (IRQL checking, 0x2, among
 * them) warns and is ignored. Default 0: off, and then none of the checks
 * below costs anything.
 *
 * With any option on, the automatic checks run too:
 *   0xC4 P1 0x00  a request for zero bytes (P2 IRQL 0, P3 pool type or
 *                 POOL_FLAGS, P4 the byte count);
 *   0xC2 P1 0x9C  the reserved tag "BIG"; 0xC2 P1 0x9D a tag with no letter
 *                 or digit (P2 tag, P3 pool type or flags, P4 caller).
 *   0xC4 P1 0x16  an entry freed to a lookaside list it did not come from
 *                 (nxpool/lookaside.h).
 * With a bug-check handler that returns, the allocation returns NULL.
 *
 * NXPOOL_VERIFIER_CODE_INTEGRITY (0x02000000):
 *   - a request for executable pool (NonPagedPool and every nonpaged type
 *     without the NX bit, POOL_FLAG_NON_PAGED_EXECUTE) bug-checks
 *     0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION, P1 0x2000, P2 the caller,
 *     P3 the pool type (or POOL_FLAGS), P4 the tag;
 *   - an executable page protection (nxpool/memory.h) is 0xC4, P1 0x2001;
 *   - a kernel-mode MmMapLockedPagesSpecifyCache (so also
 *     MmGetSystemAddressForMdlSafe) without MdlMappingNoExecute bug-checks
 *     0xC4, P1 0x2002, P2 the caller, P3 the priority.
 *   Note: an MDL mapping is the described memory's own address, so it keeps
 *   that memory's protection; only the request is checked.
 *
 * NXPOOL_VERIFIER_POOL_TRACKING (0x8): every pool allocation made while it
 * is on keeps its tag, size, pool kind and the caller's address until freed.
 *   - nxpool_report_leaks(out) prints the outstanding ones (tag, size, kind,
 *     address, caller as symbol+offset when the dynamic linker knows it) and
 *     returns their number; NXPOOL_REPORT_LEAKS=1 in the environment prints
 *     them to stderr at process exit;
 *   - nxpool_verify_unload() is what a driver's unload is to Verifier: with
 *     allocations outstanding it prints them to stderr and bug-checks 0xC4,
 *     P1 0x62, P2 0, P3 their total bytes, P4 their number; it returns
 *     their number when a handler returns (0 when none are outstanding).
 *
 * NXPOOL_VERIFIER_LOW_RESOURCES (0x4): after `warmup` allocations, each
 * pool allocation fails (NULL, or a raise for the raising variants) with
 * probability rate_per_million / 1e6, decided by a generator seeded with
 * `seed` and the allocation's number, so one seed fails the same calls of a
 * single-threaded run every time. `tag` 0 injects into every tag, otherwise
 * only into that one. Defaults (also read from NXPOOL_FAULT_RATE in percent,
 * NXPOOL_FAULT_WARMUP, NXPOOL_FAULT_SEED, NXPOOL_FAULT_TAG as four
 * characters): 5 %, 16, 0x6E78706F6F6C, all tags. nxpool_set_low_resources
 * restarts the allocation count.
 *
 * NXPOOL_VERIFIER_SPECIAL_POOL (0x1): each request the filters take (tag,
 * size range; at most one page) gets a page of its own between two
 * no-access guard pages: end-aligned against the guard after it (overrun
 * mode, rounded up to the pool alignment: 16 bytes, 64 cache-aligned) or
 * at the start of the page (underrun mode). The rest of the page holds a
 * fill pattern, checked at free. Blocks read as zero. A freed block's page
 * stays no-access while it is among the last `quarantine` freed blocks.
 *   0xD6 DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION: a guard page touched;
 *   0xCC PAGE_FAULT_IN_FREED_SPECIAL_POOL: a freed block touched, or freed
 *        again; both with P1 the address, P2 1 for a write (x86-64; 0
 *        otherwise), P3 the instruction (for a free: the caller), P4 0;
 *   0xC1 SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION at free, P1 the address
 *        freed, P4 the case: 0x20 no block there; 0x21 not the block's
 *        start (P2 bytes requested, P3 bytes to the page end); 0x23 fill
 *        before the block changed, 0x24 bytes after its end changed (P2 the
 *        first changed byte). The block stays allocated.
 * A fault is turned into the bug check by a SIGSEGV handler installed at
 * the first special-pool allocation (other faults go to the previous
 * handler). When a bug-check handler returns, the page is made accessible
 * for good and the access completes. When every slot (16384) is live or
 * quarantined, requests go to the normal pool.
 * nxpool_special_pool_configure sets the filters (tag 0: every tag; sizes
 * inclusive), the mode (underrun non-zero) and the quarantine length;
 * defaults, also read from NXPOOL_SPECIAL_POOL_TAG (four characters),
 * NXPOOL_SPECIAL_POOL_SIZE (MIN-MAX), NXPOOL_SPECIAL_POOL_UNDERRUN (0/1)
 * and NXPOOL_SPECIAL_POOL_QUARANTINE: every tag, 1-4096, overrun, 1024.
 * nxpool_special_pool_contains says whether `p` lies in a live special-pool
 * block. */
#define NXPOOL_VERIFIER_SPECIAL_POOL   0x00000001u
#define NXPOOL_VERIFIER_LOW_RESOURCES  0x00000004u
#define NXPOOL_VERIFIER_POOL_TRACKING  0x00000008u
#define NXPOOL_VERIFIER_CODE_INTEGRITY 0x02000000u
ULONG nxpool_set_verifier_flags(ULONG flags);

size_t nxpool_report_leaks(FILE *out);
size_t nxpool_verify_unload(void);

void nxpool_set_low_resources(ULONG rate_per_million, uint64_t warmup, uint64_t seed, ULONG tag);
/* Failures injected so far. */
uint64_t nxpool_injected_failures(void);

void nxpool_special_pool_configure(ULONG tag, size_t min_bytes, size_t max_bytes, int underrun,
                                   size_t quarantine);
int nxpool_special_pool_contains(const void *p);

/* ---- MDL mappings -----------------------------------------------------------
 * MmMapLockedPagesSpecifyCache returns a second view of the described pages,
 * with the view's own protection (readable; writable unless
 * MdlMappingNoWrite; executable only for a kernel-mode mapping without
 * MdlMappingNoExecute), wherever the pages are simulated physical memory:
 * contiguous memory and I/O space (nxpool/memory.h) always, small pool
 * blocks only from pool segments created while MDL views are on. Any other
 * memory maps to its own address and keeps its own protection.
 *
 * nxpool_set_mdl_views(1) (or NXPOOL_MDL_VIEWS=1 at start-up) makes pool
 * segments created from then on shared simulated physical memory. Off by
 * default because of fork(): a child gets private copies of shared segments
 * in an atfork handler, after the fork, so pool threads that the parent
 * keeps running during a fork can hand the child an inconsistent copy. Turn
 * it on before the first allocation in programs that do not fork while
 * several threads use the pool (GoogleTest's "threadsafe" death tests
 * re-execute and are fine). Returns the previous setting. */
int nxpool_set_mdl_views(int on);

/* ---- statistics -----------------------------------------------------------
 * Counted per (tag, pool kind) for every allocation and free, always on.
 * Counters live per thread (no shared atomic on the allocation path) and are
 * summed when read, so a snapshot taken while other threads allocate is a
 * consistent-enough sum of per-thread values, not an atomic cut. */

enum {
  NXPOOL_KIND_NX = 0,    /* nonpaged, no-execute (NonPagedPoolNx, POOL_FLAG_NON_PAGED) */
  NXPOOL_KIND_EXEC = 1,  /* nonpaged, executable (NonPagedPool, POOL_FLAG_NON_PAGED_EXECUTE) */
  NXPOOL_KIND_PAGED = 2  /* paged (no-execute on x86-64 and AArch64 hosts) */
};

typedef struct nxpool_tag_stats {
  ULONG tag;           /* as passed to the allocator; 'None' for untagged calls */
  int kind;            /* NXPOOL_KIND_* */
  uint64_t allocs;     /* successful allocations */
  uint64_t frees;      /* frees (allocs - frees = blocks outstanding) */
  uint64_t bytes;      /* requested bytes currently allocated */
  uint64_t peak_bytes; /* high-water mark of `bytes`: exact when the tag is used
                          from one thread; with several threads it is the sum of
                          each thread's own high-water mark, an upper bound */
} nxpool_tag_stats;

/* Writes up to `capacity` rows, ordered by tag then kind, into `out` (which may
 * be NULL when capacity is 0) and returns how many rows exist; call again with
 * a larger buffer when the result exceeds `capacity`. A row exists for every
 * (tag, kind) that was ever allocated from. */
size_t nxpool_stats_snapshot(nxpool_tag_stats *out, size_t capacity);

/* Prints a poolmon-style table to `out`: one line per tag with allocations,
 * frees, outstanding blocks and bytes for each of NX nonpaged, executable
 * nonpaged and paged pool, tags shown as text. */
void nxpool_stats_print(FILE *out);

/* Writes the snapshot as one JSON object:
 * {"rows":[{"tag":"Tag1","tag_value":...,"kind":"nx"|"exec"|"paged",
 *           "allocs":..,"frees":..,"outstanding":..,"bytes":..,"peak_bytes":..}]} */
void nxpool_stats_json(FILE *out);

NXPOOL_EXTERN_C_END

#endif /* NXPOOL_RUNTIME_H */
