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

class MacroTable {
 public:
  // A unit defines thousands of names: start big enough that the table is
  // not rehashed over and over while the first headers are read.
  MacroTable() { map_.reserve(kInitialNames); }

  // Nullptr unless the name is currently defined.
  const MacroDef* find(std::string_view name) const {
    if (!maybe_defined(name)) return nullptr;
    auto it = map_.find(name);
    return it != map_.end() && it->second.state == MacroState::Defined ? it->second.def.get() : nullptr;
  }
  MacroState state(std::string_view name) const {
    auto it = map_.find(name);
    return it == map_.end() ? MacroState::Unknown : it->second.state;
  }
  void define(std::shared_ptr<const MacroDef> def) {
    epoch_ = next_epoch();
    seen_.set(quick_hash(def->name));
    auto& e = map_[def->name];  // the view stays valid: see MacroDef
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
    auto it = map_.find(name);
    return it != map_.end() && it->second.state == MacroState::Defined && it->second.alternatives.size() > 1
               ? &it->second.alternatives
               : nullptr;
  }
  void set_state(std::string_view name, MacroState s) {
    epoch_ = next_epoch();
    auto it = map_.find(name);
    if (it == map_.end()) it = map_.emplace(name, MacroEntry{}).first;
    it->second.state = s;
    it->second.def.reset();
    it->second.alternatives.clear();
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
  static constexpr std::size_t kInitialNames = 4096;
  static std::size_t quick_hash(std::string_view s) {
    std::size_t n = s.size();
    auto c = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(s[i])); };
    return (n * 0x9E37u ^ c(0) * 0x3B1u ^ c(n - 1) * 0x1F3u ^ c(n / 2) * 0x7Du) & 0xFFFFu;
  }
  std::unordered_map<std::string_view, MacroEntry, StringHash, std::equal_to<>> map_;
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
