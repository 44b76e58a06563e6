// Word classification is a perfect switch on length and first letters
// followed by one comparison, cheap enough to run on every identifier in a
// file that passed the prefilter. The prefilter itself is one pass over the
// bytes with a 64 K-entry bigram table, so a file is never searched once
// per anchor.
// Tested by tests/analyzer/vocabulary_test.cpp.
#include "scan/vocabulary.h"

#include <array>
#include <bitset>
#include <cstring>
#include <unordered_map>

namespace nxpool::scan {
namespace {

struct Entry {
  std::string_view name;
  Word word;
};

constexpr Entry kWords[] = {
    {"NonPagedPool", Word::NonPagedPool},
    {"NonPagedPoolCacheAligned", Word::NonPagedPoolCacheAligned},
    {"NonPagedPoolExecute", Word::NonPagedPoolExecute},
    {"NonPagedPoolMustSucceed", Word::NonPagedFixedExecutable},
    {"NonPagedPoolCacheAlignedMustS", Word::NonPagedFixedExecutable},
    {"NonPagedPoolSession", Word::NonPagedFixedExecutable},
    {"NonPagedPoolMustSucceedSession", Word::NonPagedFixedExecutable},
    {"NonPagedPoolCacheAlignedSession", Word::NonPagedFixedExecutable},
    {"NonPagedPoolCacheAlignedMustSSession", Word::NonPagedFixedExecutable},
    {"NonPagedPoolBase", Word::NonPagedFixedExecutable},
    {"NonPagedPoolBaseMustSucceed", Word::NonPagedFixedExecutable},
    {"NonPagedPoolBaseCacheAligned", Word::NonPagedFixedExecutable},
    {"NonPagedPoolBaseCacheAlignedMustS", Word::NonPagedFixedExecutable},
    {"NonPagedPoolNx", Word::OtherPoolType},
    {"NonPagedPoolNxCacheAligned", Word::OtherPoolType},
    {"NonPagedPoolSessionNx", Word::OtherPoolType},
    {"PagedPool", Word::OtherPoolType},
    {"PagedPoolCacheAligned", Word::OtherPoolType},
    {"PagedPoolSession", Word::OtherPoolType},
    {"PagedPoolCacheAlignedSession", Word::OtherPoolType},
    {"POOL_FLAG_NON_PAGED_EXECUTE", Word::PoolFlagNonPagedExecute},
    {"PAGE_EXECUTE", Word::PageExecute},
    {"PAGE_EXECUTE_READ", Word::PageExecute},
    {"PAGE_EXECUTE_READWRITE", Word::PageExecute},
    {"PAGE_EXECUTE_WRITECOPY", Word::PageExecute},
    {"MdlMappingNoExecute", Word::MdlMappingNoExecute},
    {"POOL_NX_ALLOCATION", Word::PoolNxAllocation},
    {"DrvRtPoolNxOptIn", Word::DrvRtPoolNxOptIn},
    {"MmCached", Word::MmCached},
    {"POOL_RAISE_IF_ALLOCATION_FAILURE", Word::PoolFlagConstant},
    {"POOL_QUOTA_FAIL_INSTEAD_OF_RAISE", Word::PoolFlagConstant},
    {"POOL_COLD_ALLOCATION", Word::PoolFlagConstant},
    {"LowPagePriority", Word::PagePriority},
    {"NormalPagePriority", Word::PagePriority},
    {"HighPagePriority", Word::PagePriority},
    {"MdlMappingNoWrite", Word::PagePriority},
    {"MdlMappingWithGuardPtes", Word::PagePriority},
    {"UserMode", Word::UserMode},
    {"ExAllocatePool", Word::LegacyAllocator},
    {"ExAllocatePoolWithTag", Word::LegacyAllocator},
    {"ExAllocatePoolWithQuota", Word::LegacyAllocator},
    {"ExAllocatePoolWithQuotaTag", Word::LegacyAllocator},
    {"ExAllocatePoolWithTagPriority", Word::LegacyAllocator},
    {"ExAllocatePoolZero", Word::LegacyAllocator},
    {"ExAllocatePoolQuotaZero", Word::LegacyAllocator},
    {"ExAllocatePoolPriorityZero", Word::LegacyAllocator},
    {"ExAllocatePoolUninitialized", Word::LegacyAllocator},
    {"ExAllocatePoolQuotaUninitialized", Word::LegacyAllocator},
    {"ExAllocatePoolPriorityUninitialized", Word::LegacyAllocator},
    {"ExAllocatePool2", Word::ExAllocatePool2},
    {"ExAllocatePool3", Word::ExAllocatePool2},
    {"ExInitializeLookasideListEx", Word::ExInitializeLookasideListEx},
    {"ExInitializeNPagedLookasideList", Word::ExInitializeNPagedLookasideList},
    {"MmGetSystemAddressForMdlSafe", Word::MmGetSystemAddressForMdlSafe},
    {"MmMapLockedPagesSpecifyCache", Word::MmMapLockedPagesSpecifyCache},
    {"MmMapIoSpace", Word::ExecutableOnlyApi},
    {"MmAllocateContiguousMemory", Word::ExecutableOnlyApi},
    {"MmMapLockedPages", Word::ExecutableOnlyApi},
    {"MmAllocateContiguousMemorySpecifyCache", Word::ContiguousSpecifyCache},
    {"MmAllocateContiguousMemorySpecifyCacheNode", Word::ContiguousSpecifyCache},
    {"ExInitializeDriverRuntime", Word::ExInitializeDriverRuntime},
    {"DriverEntry", Word::EntryFunction},
    {"DllInitialize", Word::EntryFunction},
};

// Substrings that every relevant word contains (the prefilter's needles).
constexpr std::string_view kAnchors[] = {
    "PagedPool", "PAGE_EXECUTE", "NON_PAGED_EXECUTE", "ExAllocatePool", "MmMapIoSpace",
    "MmAllocateContiguousMemory", "MmMapLockedPages", "MmGetSystemAddressForMdlSafe",
    "ExInitialize", "DriverEntry", "DllInitialize",
};

struct Table {
  // Words are bucketed by (length, first char, last char); each bucket has
  // at most a couple of entries.
  std::unordered_map<std::uint32_t, std::array<const Entry*, 4>> buckets;
  std::bitset<65536> bigram;
  Table() {
    for (const Entry& e : kWords) {
      auto& b = buckets[key(e.name)];
      for (auto& slot : b) {
        if (!slot) {
          slot = &e;
          break;
        }
      }
    }
    for (std::string_view a : kAnchors)
      bigram.set(static_cast<unsigned char>(a[0]) << 8 | static_cast<unsigned char>(a[1]));
  }
  static std::uint32_t key(std::string_view s) {
    return static_cast<std::uint32_t>(s.size()) << 16 | static_cast<unsigned char>(s.front()) << 8 |
           static_cast<unsigned char>(s.back());
  }
};

const Table& table() {
  static const Table t;
  return t;
}

// A quick reject before hashing: every word starts with one of these.
constexpr std::array<bool, 256> make_first() {
  std::array<bool, 256> f{};
  for (const Entry& e : kWords) f[static_cast<unsigned char>(e.name[0])] = true;
  return f;
}
constexpr auto kFirst = make_first();

}  // namespace

Word classify(std::string_view s) {
  if (s.size() < 8 || s.size() > 48 || !kFirst[static_cast<unsigned char>(s[0])]) return Word::None;
  const Table& t = table();
  auto it = t.buckets.find(Table::key(s));
  if (it == t.buckets.end()) return Word::None;
  for (const Entry* e : it->second)
    if (e && e->name == s) return e->word;
  return Word::None;
}

bool has_anchor(std::string_view text) {
  const Table& t = table();
  const std::size_t n = text.size();
  if (n < 2) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (!t.bigram[p[i] << 8 | p[i + 1]]) continue;
    for (std::string_view a : kAnchors) {
      if (a.size() <= n - i && std::memcmp(p + i, a.data(), a.size()) == 0) return true;
    }
  }
  return false;
}

}  // namespace nxpool::scan
