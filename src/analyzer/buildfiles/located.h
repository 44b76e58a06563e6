// Text that remembers where each of its characters was written.
//
// A definition's origin is the build-file element (or nmake line) that wrote
// its *text*, which is not always where it is finally used: MSBuild splices
// `%(PreprocessorDefinitions)` from an earlier ItemDefinitionGroup into a later
// one, and a property set in a .props may be referenced from the project;
// nmake's C_DEFINES grows by `$(C_DEFINES) -D…` across sources, sources.inc
// and project.mk. LocStr carries a sorted list of spans (start offset -> origin
// id) alongside the text, so after any amount of splicing, the origin of a
// definition is the span that holds the first character of its name. Origin
// ids index a LocTable shared by one read session, keeping each span 8 bytes.
//
// Tested by tests/buildfiles/msbuild_expand_test.cpp (OriginsFollowProperties),
// nmake_test.cpp (SelfReferenceSplicesOldValueAndKeepsOrigins) and every
// fixture's "@ file:line:col" column.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../model/compile_unit.h"

namespace nxpool::buildfiles {

class LocTable {
 public:
  uint32_t add(model::SourceLoc loc) {
    locs_.push_back(std::move(loc));
    return uint32_t(locs_.size() - 1);
  }
  const model::SourceLoc& get(uint32_t id) const { return locs_[id]; }

 private:
  std::deque<model::SourceLoc> locs_;
};

struct LocStr {
  std::string text;
  std::vector<std::pair<uint32_t, uint32_t>> spans;  // (first offset, loc id), ascending

  LocStr() = default;
  LocStr(std::string_view s, uint32_t loc) { append(s, loc); }

  void append(std::string_view s, uint32_t loc) {
    if (s.empty()) return;
    if (spans.empty() || spans.back().second != loc) spans.emplace_back(uint32_t(text.size()), loc);
    text.append(s);
  }
  void append(char c, uint32_t loc) { append(std::string_view(&c, 1), loc); }
  void append(const LocStr& other) {
    for (size_t i = 0; i < other.spans.size(); ++i) {
      size_t b = other.spans[i].first;
      size_t e = i + 1 < other.spans.size() ? other.spans[i + 1].first : other.text.size();
      append(std::string_view(other.text).substr(b, e - b), other.spans[i].second);
    }
  }
  // Origin of the character at `offset` (the last span starting at or before it).
  uint32_t loc_at(size_t offset, uint32_t fallback) const {
    uint32_t id = fallback;
    for (const auto& [start, loc] : spans) {
      if (start > offset) break;
      id = loc;
    }
    return id;
  }
  LocStr substr(size_t begin, size_t end) const {
    LocStr out;
    for (size_t i = 0; i < spans.size(); ++i) {
      size_t b = spans[i].first;
      size_t e = i + 1 < spans.size() ? spans[i + 1].first : text.size();
      b = b < begin ? begin : b;
      e = e > end ? end : e;
      if (b < e) out.append(std::string_view(text).substr(b, e - b), spans[i].second);
    }
    return out;
  }
};

}  // namespace nxpool::buildfiles
