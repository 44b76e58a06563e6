// Per-thread statistics tables, merged on read; the nxpool_stats_* API.
// See stats.h for the design.
#include "stats.h"

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <map>
#include <mutex>
#include <vector>

#include <nxpool/wdm.h>

#include "fork_gate.h"
#include "report.h"

namespace nxpool::rt {
namespace {

constexpr unsigned k_row_bits = 10;
constexpr unsigned k_rows = 1u << k_row_bits;
constexpr unsigned k_max_used = k_rows / 4 * 3;

using Row = StatRow;

struct Table {
  Row rows[k_rows];
  unsigned used = 0;
  Table *next_all = nullptr;     // registry of every table ever made
  Table *next_parked = nullptr;  // tables whose thread has exited
};

struct Totals {
  std::uint64_t allocs = 0, frees = 0;
  std::int64_t bytes = 0, peak = 0;
};

std::mutex g_registry_mutex;
Table *g_all = nullptr;
Table *g_parked = nullptr;
std::map<std::uint64_t, Totals> *g_overflow = nullptr;  // guarded by the mutex

constinit thread_local Table *t_table = nullptr;

Table *acquire_table() {
  ForkGuard gate;
  std::lock_guard lock(g_registry_mutex);
  Table *t = g_parked;
  if (t != nullptr) {
    g_parked = t->next_parked;
  } else {
    t = new Table;
    t->next_all = g_all;
    g_all = t;
  }
  return t;
}

}  // namespace

void detail::stats_overflow(std::uint64_t key, bool is_alloc, std::size_t bytes) {
  ForkGuard gate;
  std::lock_guard lock(g_registry_mutex);
  if (g_overflow == nullptr) g_overflow = new std::map<std::uint64_t, Totals>;
  Totals &t = (*g_overflow)[key];
  if (is_alloc) {
    ++t.allocs;
    t.bytes += static_cast<std::int64_t>(bytes);
    t.peak = std::max(t.peak, t.bytes);
  } else {
    ++t.frees;
    t.bytes -= static_cast<std::int64_t>(bytes);
  }
}

StatRow *detail::stats_row(std::uint64_t key) {
  Table *t = t_table;
  if (t == nullptr) t = t_table = acquire_table();
  unsigned i = static_cast<unsigned>((key * 0x9E3779B97F4A7C15ull) >> (64 - k_row_bits));
  for (;;) {
    Row &r = t->rows[i];
    std::uint64_t k = r.key.load(std::memory_order_relaxed);
    if (k == key) break;
    if (k == 0) {
      if (t->used >= k_max_used) return nullptr;
      ++t->used;
      r.key.store(key, std::memory_order_release);
      break;
    }
    i = (i + 1) & (k_rows - 1);
  }
  const auto tag = static_cast<std::uint32_t>(key >> 8);
  if (tag != 0) t_stat_cache[(key & 0xFF) - 1] = StatCache{tag, &t->rows[i]};
  return &t->rows[i];
}

namespace {

std::vector<nxpool_tag_stats> collect() {
  std::map<std::uint64_t, Totals> sum;
  {
    ForkGuard gate;
    std::lock_guard lock(g_registry_mutex);
    for (Table *t = g_all; t != nullptr; t = t->next_all) {
      for (Row &r : t->rows) {
        std::uint64_t key = r.key.load(std::memory_order_acquire);
        if (key == 0) continue;
        Totals &s = sum[key];
        s.allocs += r.allocs.load(std::memory_order_relaxed);
        s.frees += r.frees.load(std::memory_order_relaxed);
        const std::int64_t peak = r.peak.load(std::memory_order_relaxed);
        s.bytes += peak - r.headroom.load(std::memory_order_relaxed) -
                   r.released.load(std::memory_order_relaxed);
        s.peak += peak;
      }
    }
    if (g_overflow != nullptr) {
      for (auto &[key, o] : *g_overflow) {
        Totals &s = sum[key];
        s.allocs += o.allocs;
        s.frees += o.frees;
        s.bytes += o.bytes;
        s.peak += o.peak;
      }
    }
  }
  std::vector<nxpool_tag_stats> rows;
  rows.reserve(sum.size());
  for (auto &[key, s] : sum) {
    nxpool_tag_stats row{};
    row.tag = static_cast<ULONG>(key >> 8);
    row.kind = static_cast<int>((key & 0xFF) - 1);
    row.allocs = s.allocs;
    row.frees = s.frees;
    // A snapshot races with other threads' updates; never report less than 0
    // bytes, nor a peak below the current value.
    row.bytes = s.bytes > 0 ? static_cast<std::uint64_t>(s.bytes) : 0;
    row.peak_bytes = std::max<std::uint64_t>(row.bytes, s.peak > 0 ? static_cast<std::uint64_t>(s.peak) : 0);
    rows.push_back(row);
  }
  // std::map ordered the keys by tag, then kind: the documented order.
  return rows;
}

const char *kind_word(int kind) {
  switch (kind) {
    case NXPOOL_KIND_NX: return "nx";
    case NXPOOL_KIND_EXEC: return "exec";
    default: return "paged";
  }
}

}  // namespace

void stats_thread_exit() {
  Table *t = t_table;
  if (t == nullptr) return;
  t_table = nullptr;
  for (auto &c : detail::t_stat_cache) c = detail::StatCache{};
  ForkGuard gate;
  std::lock_guard lock(g_registry_mutex);
  t->next_parked = g_parked;
  g_parked = t;
}

}  // namespace nxpool::rt

using namespace nxpool::rt;

extern "C" {

size_t nxpool_stats_snapshot(nxpool_tag_stats *out, size_t capacity) {
  try {
    std::vector<nxpool_tag_stats> rows = collect();
    std::copy_n(rows.begin(), std::min(capacity, rows.size()), out);
    return rows.size();
  } catch (...) {  // out of (malloc) memory while merging
    return 0;
  }
}

void nxpool_stats_print(FILE *out) {
  std::vector<nxpool_tag_stats> rows;
  try {
    rows = collect();
  } catch (...) {
    std::fputs("nxpool: statistics unavailable (out of memory)\n", out);
    return;
  }
  // One line per tag, the three kinds side by side, as poolmon lays out
  // paged/nonpaged - with nonpaged split into NX and executable.
  std::fprintf(out, "%-4s ", "");
  for (const char *title : {"NX nonpaged", "EXECUTABLE nonpaged", "Paged"})
    std::fprintf(out, " %-38s", title);
  std::fprintf(out, "\n%-4s ", "Tag");
  for (int k = 0; k < 3; ++k) std::fprintf(out, " %8s %8s %7s %11s ", "Allocs", "Frees", "Diff", "Bytes");
  std::fputc('\n', out);
  std::uint64_t exec_bytes = 0;
  for (std::size_t i = 0; i < rows.size();) {
    ULONG tag = rows[i].tag;
    const nxpool_tag_stats *by_kind[3] = {nullptr, nullptr, nullptr};
    for (; i < rows.size() && rows[i].tag == tag; ++i) by_kind[rows[i].kind] = &rows[i];
    char text[5];
    format_tag(tag, text);
    std::fprintf(out, "%-4s ", text);
    for (const nxpool_tag_stats *r : by_kind) {
      if (r == nullptr) {
        std::fprintf(out, " %8s %8s %7s %11s ", "-", "-", "-", "-");
      } else {
        std::fprintf(out, " %8" PRIu64 " %8" PRIu64 " %7" PRId64 " %11" PRIu64 " ", r->allocs,
                     r->frees, static_cast<std::int64_t>(r->allocs - r->frees), r->bytes);
      }
    }
    if (by_kind[NXPOOL_KIND_EXEC] != nullptr) {
      exec_bytes += by_kind[NXPOOL_KIND_EXEC]->bytes;
      if (by_kind[NXPOOL_KIND_EXEC]->allocs != by_kind[NXPOOL_KIND_EXEC]->frees)
        std::fputs(" <- executable", out);
    }
    std::fputc('\n', out);
  }
  std::fprintf(out, "executable nonpaged bytes in use: %" PRIu64 "\n", exec_bytes);
}

void nxpool_stats_json(FILE *out) {
  std::vector<nxpool_tag_stats> rows;
  try {
    rows = collect();
  } catch (...) {
    std::fputs("{\"rows\":[],\"error\":\"out of memory\"}\n", out);
    return;
  }
  std::fputs("{\"rows\":[", out);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const nxpool_tag_stats &r = rows[i];
    char text[5];
    format_tag(r.tag, text);
    std::fprintf(out, "%s{\"tag\":\"", i == 0 ? "" : ",");
    for (const char *c = text; *c != '\0'; ++c) {
      if (*c == '"' || *c == '\\') std::fputc('\\', out);
      std::fputc(*c, out);
    }
    std::fprintf(out,
                 "\",\"tag_value\":%" PRIu32 ",\"kind\":\"%s\",\"allocs\":%" PRIu64
                 ",\"frees\":%" PRIu64 ",\"outstanding\":%" PRId64 ",\"bytes\":%" PRIu64
                 ",\"peak_bytes\":%" PRIu64 "}",
                 static_cast<std::uint32_t>(r.tag), kind_word(r.kind), r.allocs, r.frees,
                 static_cast<std::int64_t>(r.allocs - r.frees), r.bytes, r.peak_bytes);
  }
  std::fputs("]}\n", out);
}

}  // extern "C"
