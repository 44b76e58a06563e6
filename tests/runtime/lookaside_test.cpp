// Lookaside lists (issue 3 item 3; spec section 4 "Lookaside lists"):
// POOL_NX_ALLOCATION selects NX for nonpaged lists and the opt-in wrapper
// adds it; paged lists; the Ex family with a real POOL_TYPE; custom
// callbacks; depth; flush/delete; thread safety.
#include <nxpool/wdm.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

extern "C" void lookaside_auto_init(PNPAGED_LOOKASIDE_LIST list, ULONG tag);

namespace {

constexpr ULONG k_tag = 0x6B6F6F4C;  // "Look"

TEST(NPagedLookaside, FlagsZeroIsExecutableAndNxFlagIsNot) {
  NPAGED_LOOKASIDE_LIST exec_list, nx_list;
  ExInitializeNPagedLookasideList(&exec_list, nullptr, nullptr, 0, 48, k_tag, 0);
  ExInitializeNPagedLookasideList(&nx_list, nullptr, nullptr, POOL_NX_ALLOCATION, 48, k_tag, 0);
  void *e = ExAllocateFromNPagedLookasideList(&exec_list);
  void *n = ExAllocateFromNPagedLookasideList(&nx_list);
  EXPECT_EQ(nxpool_is_executable(e), 1);
  EXPECT_EQ(nxpool_is_executable(n), 0);
  ExFreeToNPagedLookasideList(&exec_list, e);
  ExFreeToNPagedLookasideList(&nx_list, n);
  ExDeleteNPagedLookasideList(&exec_list);
  ExDeleteNPagedLookasideList(&nx_list);
}

TEST(NPagedLookaside, OptedInFileGetsNxThroughTheWrapper) {
  NPAGED_LOOKASIDE_LIST list;
  lookaside_auto_init(&list, k_tag);
  EXPECT_EQ(list.L.Type, NonPagedPoolNx);
  void *n = ExAllocateFromNPagedLookasideList(&list);
  EXPECT_EQ(nxpool_is_executable(n), 0);
  ExFreeToNPagedLookasideList(&list, n);
  ExDeleteNPagedLookasideList(&list);
}

TEST(NPagedLookaside, FreedEntriesAreReusedAndCounted) {
  NPAGED_LOOKASIDE_LIST list;
  ExInitializeNPagedLookasideList(&list, nullptr, nullptr, POOL_NX_ALLOCATION, 100, k_tag, 0);
  void *a = ExAllocateFromNPagedLookasideList(&list);
  ExFreeToNPagedLookasideList(&list, a);
  void *b = ExAllocateFromNPagedLookasideList(&list);
  EXPECT_EQ(a, b);
  EXPECT_EQ(nxpool_is_executable(b), 0) << "a cached entry stays a live pool block";
  EXPECT_EQ(list.L.TotalAllocates, 2u);
  EXPECT_EQ(list.L.AllocateMisses, 1u);
  EXPECT_EQ(list.L.TotalFrees, 1u);
  ExFreeToNPagedLookasideList(&list, b);
  ExDeleteNPagedLookasideList(&list);
  EXPECT_EQ(nxpool_is_executable(b), -1) << "delete returns cached entries to the pool";
}

TEST(NPagedLookaside, DepthBoundsTheCache) {
  NPAGED_LOOKASIDE_LIST list;
  ExInitializeNPagedLookasideList(&list, nullptr, nullptr, POOL_NX_ALLOCATION, 32, k_tag, 2);
  void *e[3];
  for (auto &p : e) p = ExAllocateFromNPagedLookasideList(&list);
  for (auto &p : e) ExFreeToNPagedLookasideList(&list, p);
  EXPECT_EQ(list.L.FreeMisses, 1u);
  EXPECT_EQ(nxpool_is_executable(e[0]), 0);
  EXPECT_EQ(nxpool_is_executable(e[1]), 0);
  EXPECT_EQ(nxpool_is_executable(e[2]), -1) << "the entry beyond Depth went back to the pool";
  ExDeleteNPagedLookasideList(&list);
}

// ---- custom callbacks ------------------------------------------------------

struct Calls {
  int allocs = 0, frees = 0;
  POOL_TYPE type{};
  SIZE_T size = 0;
  ULONG tag = 0;
  void *lookaside = nullptr;
};
Calls g_calls;

PVOID NTAPI my_allocate(POOL_TYPE type, SIZE_T size, ULONG tag) {
  ++g_calls.allocs;
  g_calls.type = type;
  g_calls.size = size;
  g_calls.tag = tag;
  return ExAllocatePoolWithTag(type, size, tag);
}
VOID NTAPI my_free(PVOID p) {
  ++g_calls.frees;
  ExFreePool(p);
}
PVOID NTAPI my_allocate_ex(POOL_TYPE type, SIZE_T size, ULONG tag, PLOOKASIDE_LIST_EX l) {
  g_calls.lookaside = l;
  return my_allocate(type, size, tag);
}
VOID NTAPI my_free_ex(PVOID p, PLOOKASIDE_LIST_EX l) {
  g_calls.lookaside = l;
  my_free(p);
}
PVOID NTAPI failing_allocate_ex(POOL_TYPE, SIZE_T, ULONG, PLOOKASIDE_LIST_EX) { return nullptr; }

TEST(NPagedLookaside, CustomCallbacksRunOnMissOverflowAndDelete) {
  g_calls = Calls{};
  NPAGED_LOOKASIDE_LIST list;
  ExInitializeNPagedLookasideList(&list, my_allocate, my_free, POOL_NX_ALLOCATION, 40, k_tag, 1);
  void *a = ExAllocateFromNPagedLookasideList(&list);
  void *b = ExAllocateFromNPagedLookasideList(&list);
  EXPECT_EQ(g_calls.allocs, 2);
  EXPECT_EQ(g_calls.type, NonPagedPoolNx) << "the callback is told the NX type";
  EXPECT_EQ(g_calls.size, 40u);
  EXPECT_EQ(g_calls.tag, k_tag);
  ExFreeToNPagedLookasideList(&list, a);
  ExFreeToNPagedLookasideList(&list, b);  // beyond depth 1
  EXPECT_EQ(g_calls.frees, 1);
  ExDeleteNPagedLookasideList(&list);
  EXPECT_EQ(g_calls.frees, 2);
}

TEST(PagedLookaside, PagedEntriesAreNotExecutableOn64BitHosts) {
  PAGED_LOOKASIDE_LIST list;
  ExInitializePagedLookasideList(&list, nullptr, nullptr, 0, 200, k_tag, 0);
  void *p = ExAllocateFromPagedLookasideList(&list);
  ASSERT_NE(p, nullptr);
#if defined(__x86_64__) || defined(__aarch64__)
  EXPECT_EQ(nxpool_is_executable(p), 0);
#endif
  ExFreeToPagedLookasideList(&list, p);
  EXPECT_EQ(ExAllocateFromPagedLookasideList(&list), p);
  ExFreeToPagedLookasideList(&list, p);
  ExDeletePagedLookasideList(&list);
}

// ---- Ex family ----------------------------------------------------------------

TEST(LookasideEx, PoolTypeSelectsTheKind) {
  LOOKASIDE_LIST_EX nx, exec;
  ASSERT_EQ(ExInitializeLookasideListEx(&nx, nullptr, nullptr, NonPagedPoolNx, 0, 64, k_tag, 0),
            STATUS_SUCCESS);
  ASSERT_EQ(ExInitializeLookasideListEx(&exec, nullptr, nullptr, NonPagedPool, 0, 64, k_tag, 0),
            STATUS_SUCCESS);
  void *a = ExAllocateFromLookasideListEx(&nx);
  void *b = ExAllocateFromLookasideListEx(&exec);
  EXPECT_EQ(nxpool_is_executable(a), 0);
  EXPECT_EQ(nxpool_is_executable(b), 1);
  ExFreeToLookasideListEx(&nx, a);
  ExFreeToLookasideListEx(&exec, b);
  ExDeleteLookasideListEx(&nx);
  ExDeleteLookasideListEx(&exec);
}

TEST(LookasideEx, RejectsBadFlags) {
  LOOKASIDE_LIST_EX l;
  EXPECT_EQ(ExInitializeLookasideListEx(&l, nullptr, nullptr, NonPagedPoolNx, 4, 64, k_tag, 0),
            STATUS_INVALID_PARAMETER);
  EXPECT_EQ(ExInitializeLookasideListEx(&l, nullptr, nullptr, NonPagedPoolNx,
                                        EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL |
                                            EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE,
                                        64, k_tag, 0),
            STATUS_INVALID_PARAMETER);
}

TEST(LookasideEx, FlushReturnsCachedEntriesThroughTheFreeCallback) {
  g_calls = Calls{};
  LOOKASIDE_LIST_EX l;
  ASSERT_EQ(ExInitializeLookasideListEx(&l, my_allocate_ex, my_free_ex, NonPagedPoolNx, 0, 24,
                                        k_tag, 0),
            STATUS_SUCCESS);
  void *e[4];
  for (auto &p : e) p = ExAllocateFromLookasideListEx(&l);
  EXPECT_EQ(g_calls.lookaside, &l) << "Ex callbacks receive the list";
  for (auto &p : e) ExFreeToLookasideListEx(&l, p);
  EXPECT_EQ(g_calls.frees, 0);
  ExFlushLookasideListEx(&l);
  EXPECT_EQ(g_calls.frees, 4);
  for (auto &p : e) EXPECT_EQ(nxpool_is_executable(p), -1);
  void *again = ExAllocateFromLookasideListEx(&l);
  EXPECT_EQ(g_calls.allocs, 5) << "after a flush the list allocates anew";
  ExFreeToLookasideListEx(&l, again);
  ExDeleteLookasideListEx(&l);
  EXPECT_EQ(g_calls.frees, 5);
}

std::vector<NTSTATUS> g_raised;
void record_raise(NTSTATUS s) { g_raised.push_back(s); }

TEST(LookasideEx, RaiseOnFailRaisesWhenTheCallbackFails) {
  nxpool_raise_handler old = nxpool_set_raise_handler(record_raise);
  LOOKASIDE_LIST_EX raising, quiet;
  ExInitializeLookasideListEx(&raising, failing_allocate_ex, nullptr, NonPagedPoolNx,
                              EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL, 24, k_tag, 0);
  ExInitializeLookasideListEx(&quiet, failing_allocate_ex, nullptr, NonPagedPoolNx,
                              EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE, 24, k_tag, 0);
  EXPECT_EQ(ExAllocateFromLookasideListEx(&raising), nullptr);
  EXPECT_EQ(g_raised.size(), 1u);
  EXPECT_EQ(ExAllocateFromLookasideListEx(&quiet), nullptr);
  EXPECT_EQ(g_raised.size(), 1u);
  ExDeleteLookasideListEx(&raising);
  ExDeleteLookasideListEx(&quiet);
  nxpool_set_raise_handler(old);
}

TEST(LookasideEx, IsThreadSafe) {
  LOOKASIDE_LIST_EX l;
  ASSERT_EQ(ExInitializeLookasideListEx(&l, nullptr, nullptr, NonPagedPoolNx, 0, 64, k_tag, 8),
            STATUS_SUCCESS);
  constexpr int k_rounds = 20000;
  std::atomic<int> bad{0};
  auto worker = [&](unsigned char mark) {
    std::vector<unsigned char *> mine;
    for (int i = 0; i < k_rounds; ++i) {
      auto *p = static_cast<unsigned char *>(ExAllocateFromLookasideListEx(&l));
      std::memset(p, mark, 64);
      mine.push_back(p);
      if (mine.size() == 5 || i == k_rounds - 1) {
        for (unsigned char *q : mine) {
          for (int j = 8; j < 64; ++j) {
            if (q[j] != mark) ++bad;  // another thread was handed the same entry
          }
          ExFreeToLookasideListEx(&l, q);
        }
        mine.clear();
      }
    }
  };
  std::thread t1(worker, 0x11), t2(worker, 0x22);
  t1.join();
  t2.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(l.L.TotalAllocates, 2u * k_rounds);
  EXPECT_EQ(l.L.TotalFrees, 2u * k_rounds);
  ExDeleteLookasideListEx(&l);
}

}  // namespace
