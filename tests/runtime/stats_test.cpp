// Per-tag statistics split NX / executable / paged (issue 3 item 4):
// allocations, frees, outstanding, bytes in use and peak per (tag, kind),
// merged across threads, including threads that have exited; the
// poolmon-style table and the JSON form.
#include <nxpool/wdm.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

std::vector<nxpool_tag_stats> snapshot() {
  std::vector<nxpool_tag_stats> rows(nxpool_stats_snapshot(nullptr, 0) + 16);
  rows.resize(nxpool_stats_snapshot(rows.data(), rows.size()));
  return rows;
}

const nxpool_tag_stats *find(const std::vector<nxpool_tag_stats> &rows, ULONG tag, int kind) {
  for (const auto &r : rows) {
    if (r.tag == tag && r.kind == kind) return &r;
  }
  return nullptr;
}

std::string capture(void (*fn)(FILE *)) {
  char *buf = nullptr;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  fn(f);
  std::fclose(f);
  std::string s(buf, len);
  std::free(buf);
  return s;
}

TEST(Stats, CountsPerTagAndKind) {
  constexpr ULONG tag = 0x31415453;  // "STA1"
  void *nx[3], *exec[2];
  for (auto &p : nx) p = ExAllocatePoolWithTag(NonPagedPoolNx, 100, tag);
  for (auto &p : exec) p = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 1000, tag);
  void *paged = ExAllocatePoolWithTag(PagedPool, 7, tag);
  ExFreePoolWithTag(nx[0], tag);

  auto rows = snapshot();
  const nxpool_tag_stats *r_nx = find(rows, tag, NXPOOL_KIND_NX);
  const nxpool_tag_stats *r_exec = find(rows, tag, NXPOOL_KIND_EXEC);
  const nxpool_tag_stats *r_paged = find(rows, tag, NXPOOL_KIND_PAGED);
  ASSERT_TRUE(r_nx && r_exec && r_paged);
  EXPECT_EQ(r_nx->allocs, 3u);
  EXPECT_EQ(r_nx->frees, 1u);
  EXPECT_EQ(r_nx->bytes, 200u);
  EXPECT_EQ(r_nx->peak_bytes, 300u);
  EXPECT_EQ(r_exec->allocs, 2u);
  EXPECT_EQ(r_exec->bytes, 2000u);
  EXPECT_EQ(r_paged->bytes, 7u);

  ExFreePoolWithTag(nx[1], tag);
  ExFreePoolWithTag(nx[2], tag);
  for (auto &p : exec) ExFreePool(p);
  ExFreePool(paged);
  rows = snapshot();
  r_nx = find(rows, tag, NXPOOL_KIND_NX);
  EXPECT_EQ(r_nx->frees, 3u);
  EXPECT_EQ(r_nx->bytes, 0u);
  EXPECT_EQ(r_nx->peak_bytes, 300u) << "peak survives the frees";
  EXPECT_EQ(find(rows, tag, NXPOOL_KIND_EXEC)->bytes, 0u);
}

TEST(Stats, LargeBlocksAndFailuresAreCountedCorrectly) {
  constexpr ULONG tag = 0x32415453;  // "STA2"
  void *big = ExAllocatePoolWithTag(NonPagedPoolNx, 500000, tag);
  EXPECT_EQ(ExAllocatePoolWithTag(NonPagedPoolNx, SIZE_MAX / 2, tag), nullptr);
  auto rows = snapshot();
  ASSERT_NE(find(rows, tag, NXPOOL_KIND_NX), nullptr);
  EXPECT_EQ(find(rows, tag, NXPOOL_KIND_NX)->allocs, 1u) << "a failed allocation is not counted";
  EXPECT_EQ(find(rows, tag, NXPOOL_KIND_NX)->bytes, 500000u);
  ExFreePoolWithTag(big, tag);
  EXPECT_EQ(find(snapshot(), tag, NXPOOL_KIND_NX)->bytes, 0u);
}

TEST(Stats, MergesThreadsIncludingExitedOnes) {
  constexpr ULONG tag = 0x33415453;  // "STA3"
  std::vector<void *> blocks(64);
  std::thread producer([&] {
    for (auto &p : blocks) p = ExAllocatePoolWithTag(NonPagedPoolNx, 10, tag);
  });
  producer.join();  // its table is parked, not lost
  auto rows = snapshot();
  ASSERT_NE(find(rows, tag, NXPOOL_KIND_NX), nullptr);
  EXPECT_EQ(find(rows, tag, NXPOOL_KIND_NX)->allocs, 64u);
  EXPECT_EQ(find(rows, tag, NXPOOL_KIND_NX)->bytes, 640u);
  for (void *p : blocks) ExFreePoolWithTag(p, tag);  // freed on another thread
  rows = snapshot();
  EXPECT_EQ(find(rows, tag, NXPOOL_KIND_NX)->frees, 64u);
  EXPECT_EQ(find(rows, tag, NXPOOL_KIND_NX)->bytes, 0u);
}

// The inline paths count only into the row the thread used last for the
// kind; every other tag takes the full path. Alternating two tags and two
// kinds, with a peak in the middle, must still give exact figures.
TEST(Stats, InterleavedTagsAndKindsGiveExactCountsBytesAndPeak) {
  constexpr ULONG a = 0x34415453, b = 0x35415453;  // "STA4", "STA5"
  std::vector<void *> nx_a, exec_a, nx_b;
  for (int i = 0; i < 100; ++i) {
    nx_a.push_back(ExAllocatePoolWithTag(NonPagedPoolNx, 24, a));
    exec_a.push_back(ExAllocatePoolWithTag(NonPagedPoolExecute, 40, a));
    nx_b.push_back(ExAllocatePoolWithTag(NonPagedPoolNx, 24, b));
  }
  for (int i = 0; i < 50; ++i) {
    ExFreePoolWithTag(nx_a[i], a);
    ExFreePoolWithTag(nx_b[i], b);
  }
  // 50 * 24 bytes of tag a (NX) live, peak 100 * 24; up again by 10 * 100.
  std::vector<void *> big_a;
  for (int i = 0; i < 10; ++i) big_a.push_back(ExAllocatePoolWithTag(NonPagedPoolNx, 100, a));
  auto rows = snapshot();
  const nxpool_tag_stats *r = find(rows, a, NXPOOL_KIND_NX);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->allocs, 110u);
  EXPECT_EQ(r->frees, 50u);
  EXPECT_EQ(r->bytes, 50u * 24 + 10u * 100);
  EXPECT_EQ(r->peak_bytes, 100u * 24);
  r = find(rows, a, NXPOOL_KIND_EXEC);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->allocs, 100u);
  EXPECT_EQ(r->bytes, 100u * 40);
  r = find(rows, b, NXPOOL_KIND_NX);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->frees, 50u);
  EXPECT_EQ(r->bytes, 50u * 24);
  // Past the old peak: 50 * 24 + 20 * 100 bytes live.
  for (int i = 0; i < 10; ++i) big_a.push_back(ExAllocatePoolWithTag(NonPagedPoolNx, 100, a));
  rows = snapshot();
  EXPECT_EQ(find(rows, a, NXPOOL_KIND_NX)->peak_bytes, 50u * 24 + 20u * 100);
  for (void *p : big_a) ExFreePoolWithTag(p, a);
  for (int i = 50; i < 100; ++i) {
    ExFreePoolWithTag(nx_a[i], a);
    ExFreePoolWithTag(nx_b[i], b);
  }
  for (void *p : exec_a) ExFreePoolWithTag(p, a);
  rows = snapshot();
  EXPECT_EQ(find(rows, a, NXPOOL_KIND_NX)->bytes, 0u);
  EXPECT_EQ(find(rows, a, NXPOOL_KIND_NX)->frees, 120u);
  EXPECT_EQ(find(rows, a, NXPOOL_KIND_NX)->peak_bytes, 50u * 24 + 20u * 100);
  EXPECT_EQ(find(rows, a, NXPOOL_KIND_EXEC)->bytes, 0u);
  EXPECT_EQ(find(rows, b, NXPOOL_KIND_NX)->bytes, 0u);
}

// A thread whose first pool call is a free (it has no cache of its own yet)
// frees more blocks than a thread keeps, then allocates: nothing is lost or
// handed out twice, and the counts are exact.
TEST(Stats, AThreadThatStartsByFreeingCountsAndReusesExactly) {
  constexpr ULONG tag = 0x36415453;  // "STA6"
  std::vector<void *> blocks(3000);
  for (auto &p : blocks) p = ExAllocatePoolWithTag(NonPagedPoolNx, 64, tag);
  std::thread consumer([&] {
    for (void *p : blocks) ExFreePoolWithTag(p, tag);
    std::vector<void *> again(3000);
    for (auto &p : again) {
      p = ExAllocatePoolWithTag(NonPagedPoolNx, 64, tag);
      ASSERT_NE(p, nullptr);
      ASSERT_EQ(nxpool_is_executable(p), 0);
    }
    std::sort(again.begin(), again.end());
    EXPECT_EQ(std::adjacent_find(again.begin(), again.end()), again.end()) << "a block twice";
    for (void *p : again) ExFreePoolWithTag(p, tag);
  });
  consumer.join();
  auto rows = snapshot();
  const nxpool_tag_stats *r = find(rows, tag, NXPOOL_KIND_NX);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->allocs, 6000u);
  EXPECT_EQ(r->frees, 6000u);
  EXPECT_EQ(r->bytes, 0u);
}

TEST(Stats, SnapshotReportsTheRowCountAndOrdersRows) {
  void *a = ExAllocatePoolWithTag(NonPagedPoolNx, 1, 0x7A7A7A7A);
  void *b = ExAllocatePoolWithTag(NonPagedPool, 1, 0x7A7A7A7A);
  size_t n = nxpool_stats_snapshot(nullptr, 0);
  EXPECT_GE(n, 2u);
  nxpool_tag_stats one[1];
  EXPECT_EQ(nxpool_stats_snapshot(one, 1), n) << "returns all rows even when capacity is less";
  auto rows = snapshot();
  for (size_t i = 1; i < rows.size(); ++i) {
    bool ordered = rows[i - 1].tag < rows[i].tag ||
                   (rows[i - 1].tag == rows[i].tag && rows[i - 1].kind < rows[i].kind);
    EXPECT_TRUE(ordered) << i;
  }
  ExFreePool(a);
  ExFreePool(b);
}

TEST(Stats, PrintShowsTheNxExecutableSplitWithTagsAsText) {
  constexpr ULONG tag = 0x34415453;  // "STA4"
  void *exec = ExAllocatePoolWithTag(NonPagedPool, 64, tag);
  void *nx = ExAllocatePoolWithTag(NonPagedPoolNx, 32, tag);
  std::string table = capture(nxpool_stats_print);
  EXPECT_NE(table.find("NX nonpaged"), std::string::npos) << table;
  EXPECT_NE(table.find("EXECUTABLE nonpaged"), std::string::npos);
  size_t line = table.find("\nSTA4 ");
  ASSERT_NE(line, std::string::npos) << table;
  std::string row = table.substr(line + 1, table.find('\n', line + 1) - line - 1);
  // NX: 1 alloc, 0 frees, 1 outstanding, 32 bytes; executable: 64 bytes; paged: none.
  EXPECT_EQ(row.rfind("STA4         1        0       1          32         1        0       1          64         -        -       -           -", 0), 0u) << row;
  EXPECT_NE(row.find("<- executable"), std::string::npos) << row;
  ExFreePool(exec);
  ExFreePool(nx);
}

TEST(Stats, JsonIsValidAndMatchesTheSnapshot) {
  constexpr ULONG tag = 0x22415453;  // bytes S T A " : the quote must be escaped
  void *p = ExAllocatePoolWithTag(PagedPool, 12, tag);
  nlohmann::json doc = nlohmann::json::parse(capture(nxpool_stats_json));
  bool found = false;
  for (const auto &row : doc.at("rows")) {
    if (row.at("tag_value") == tag) {
      found = true;
      EXPECT_EQ(row.at("tag"), "STA\"");
      EXPECT_EQ(row.at("kind"), "paged");
      EXPECT_EQ(row.at("allocs"), 1);
      EXPECT_EQ(row.at("outstanding"), 1);
      EXPECT_EQ(row.at("bytes"), 12);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(doc.at("rows").size(), nxpool_stats_snapshot(nullptr, 0));
  ExFreePool(p);
}

}  // namespace
