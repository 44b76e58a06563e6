// Macro state for one translation unit. A name is in one of three states:
// defined (with a definition), known to be undefined, or unknown. Unknown is
// the default for every name the scan has not seen, because headers that are
// not on disk (the WDK, the SDK) may define it; see expr_eval.h for how an
// unknown name makes an #if condition unknown instead of false.
#pragma once

#include <atomic>
#include <bitset>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pp/ptoken.h"

namespace nxpool::pp {

// Names and spellings are views into buffers that outlive the unit (the
// file cache, the unit's predefines and arena), so defining a macro costs
// no string copies.
struct MacroDef {
  std::string_view name;
  bool function_like = false;
  bool variadic = false;
  std::vector<std::string_view> params;  // __VA_ARGS__ is the last one when variadic
  std::vector<PToken> body;
  std::uint32_t file = 0;  // where the #define is
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  bool uncertain = false;  // defined inside an #if arm whose condition is unknown
  std::int32_t cond = -1;  // that arm's condition (the unit's condition table), -1 if none
  bool forced = false;     // defined by the header itself (ARM forcing AUTO)
  mutable std::uint64_t relevance_epoch = ~0ull;
  mutable bool relevant = false;
};

enum class MacroState : std::uint8_t { Unknown, Defined, Undefined };

struct MacroEntry {
  MacroState state = MacroState::Unknown;
  std::shared_ptr<const MacroDef> def;
  // Definitions made in different arms of unknown conditionals, e.g.
  //   #if (NTDDI_VERSION >= NTDDI_WIN8) / #define P NonPagedPoolNx / #else /
  //   #define P NonPagedPool / #endif
  // Each alternative is expanded at a use site under its own condition.
  // Empty unless there are at least two.
  std::vector<std::shared_ptr<const MacroDef>> alternatives;
};

// Macro names are short identifiers looked up millions of times per tree:
// eight bytes per multiply instead of the library's byte-wise hash (which
// was 6 % of a whole-tree scan). Nothing iterates the table, so the hash
// cannot change any output.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
    std::uint64_t h = s.size() * kMul;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      h = (h ^ w) * kMul;
      h ^= h >> 29;
    }
    std::uint64_t tail = 0;
    if (i < s.size()) std::memcpy(&tail, s.data() + i, s.size() - i);
    h = (h ^ tail) * kMul;
    return static_cast<std::size_t>(h ^ (h >> 32));
  }
};

// Name -> MacroEntry without a node per name (issue 15: the node-based
// std::unordered_map was a fifth of the scan's profile: bucket walks that
// rehash the next node's key, one malloc/free per name per unit). Open
// addressing with linear probing over a slot array of (hash tag, entry
// index); entries live in fixed-size chunks, so a reference to one stays
// valid while others are added. Names are never removed (an #undef is a
// state), and nothing iterates the table, so its layout cannot change any
// output.
class MacroNameIndex {
 public:
  MacroNameIndex() : slots_(kInitialSlots) {}
  MacroEntry* find(std::string_view name) {
    std::uint64_t h = StringHash{}(name);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t pos = h & mask;; pos = (pos + 1) & mask) {
      const Slot& sl = slots_[pos];
      if (sl.index == 0) return nullptr;
      if (sl.tag == tag_of(h)) {
        Item& it = item(sl.index - 1);
        if (it.name == name) return &it.entry;
      }
    }
  }
  const MacroEntry* find(std::string_view name) const { return const_cast<MacroNameIndex*>(this)->find(name); }
  // The entry of `name`, added (Unknown) if missing. `name` must outlive the table.
  MacroEntry& get(std::string_view name) {
    std::uint64_t h = StringHash{}(name);
    std::size_t mask = slots_.size() - 1;
    std::size_t pos = h & mask;
    for (;; pos = (pos + 1) & mask) {
      const Slot& sl = slots_[pos];
      if (sl.index == 0) break;
      if (sl.tag == tag_of(h)) {
        Item& it = item(sl.index - 1);
        if (it.name == name) return it.entry;
      }
    }
    if ((size_ + 1) * 2 > slots_.size()) {
      grow();
      return get(name);
    }
    if (size_ % kChunk == 0) chunks_.push_back(std::make_unique<Item[]>(kChunk));
    Item& it = item(size_);
    it.name = name;
    it.hash = h;
    slots_[pos] = Slot{tag_of(h), static_cast<std::uint32_t>(++size_)};
    return it.entry;
  }

 private:
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t index = 0;  // entry + 1; 0 = empty
  };
  struct Item {
    std::string_view name;
    std::uint64_t hash = 0;
    MacroEntry entry;
  };
  static constexpr std::size_t kInitialSlots = 8192;  // a unit defines thousands of names
  static constexpr std::size_t kChunk = 256;
  static std::uint32_t tag_of(std::uint64_t h) { return static_cast<std::uint32_t>(h >> 32); }
  Item& item(std::size_t i) { return chunks_[i / kChunk][i % kChunk]; }
  void grow() {
    std::vector<Slot> bigger(slots_.size() * 2);
    std::size_t mask = bigger.size() - 1;
    for (std::size_t i = 0; i < size_; ++i) {
      std::uint64_t h = item(i).hash;
      std::size_t pos = h & mask;
      while (bigger[pos].index != 0) pos = (pos + 1) & mask;
      bigger[pos] = Slot{tag_of(h), static_cast<std::uint32_t>(i + 1)};
    }
    slots_.swap(bigger);
  }
  std::vector<Slot> slots_;
  std::vector<std::unique_ptr<Item[]>> chunks_;
  std::size_t size_ = 0;
};

class MacroTable {
 public:
  // Nullptr unless the name is currently defined.
  const MacroDef* find(std::string_view name) const {
    if (!maybe_defined(name)) return nullptr;
    const MacroEntry* e = map_.find(name);
    return e && e->state == MacroState::Defined ? e->def.get() : nullptr;
  }
  MacroState state(std::string_view name) const {
    const MacroEntry* e = map_.find(name);
    return e ? e->state : MacroState::Unknown;
  }
  void define(std::shared_ptr<const MacroDef> def) {
    epoch_ = next_epoch();
    seen_.set(quick_hash(def->name));
    auto& e = map_.get(def->name);  // the view stays valid: see MacroDef
    if (def->uncertain && e.state == MacroState::Defined && e.def && e.alternatives.size() < kMaxAlternatives) {
      if (e.alternatives.empty()) e.alternatives.push_back(e.def);
      e.alternatives.push_back(def);
    } else {
      e.alternatives.clear();
    }
    e.state = MacroState::Defined;
    e.def = std::move(def);
  }
  // The alternatives of a defined macro, or nullptr when it has one definition.
  const std::vector<std::shared_ptr<const MacroDef>>* alternatives(std::string_view name) const {
    const MacroEntry* e = map_.find(name);
    return e && e->state == MacroState::Defined && e->alternatives.size() > 1 ? &e->alternatives : nullptr;
  }
  void set_state(std::string_view name, MacroState s) {
    epoch_ = next_epoch();
    MacroEntry& e = map_.get(name);
    e.state = s;
    e.def.reset();
    e.alternatives.clear();
  }
  // Changes whenever any definition changes; lets relevance be cached.
  // Unique across all tables of the process, since one definition can sit in
  // the tables of many units (skeleton.h) and caches its relevance by epoch.
  std::uint64_t epoch() const { return epoch_; }

  // A cheap negative filter: most identifiers in code are not macros, and
  // hashing every one of them into the map dominated the scan's profile.
  // Bits are set on #define and never cleared (a false positive only costs
  // the map lookup).
  bool maybe_defined(std::string_view name) const { return !name.empty() && seen_.test(quick_hash(name)); }

 private:
  static constexpr std::size_t kMaxAlternatives = 8;
  static std::size_t quick_hash(std::string_view s) {
    std::size_t n = s.size();
    auto c = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(s[i])); };
    return (n * 0x9E37u ^ c(0) * 0x3B1u ^ c(n - 1) * 0x1F3u ^ c(n / 2) * 0x7Du) & 0xFFFFu;
  }
  MacroNameIndex map_;
  std::bitset<65536> seen_;
  // Each thread counts in its own range of 2^40 epochs.
  static std::uint64_t next_epoch() {
    static std::atomic<std::uint64_t> threads{0};
    thread_local std::uint64_t e = (threads.fetch_add(1, std::memory_order_relaxed) + 1) << 40;
    return ++e;
  }
  std::uint64_t epoch_ = next_epoch();
};

}  // namespace nxpool::pp
