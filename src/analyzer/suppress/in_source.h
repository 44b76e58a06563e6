// In-source suppressions, in the spellings driver code already has:
//
//   #pragma warning(suppress: 30030)            the next statement
//   #pragma prefast(suppress: 30030, "why")     the next statement
//   #pragma warning(disable: 30030)             until default: 30030, or the pop
//   #pragma warning(push) / (pop)               save / restore the disabled set
//   // nxpool-ignore NX2001: why                this line (or, alone on a line,
//                                               the next statement)
//
// Warning numbers go through warning_map.h; nxpool-ignore names NX rules
// (comma- or space-separated). Suppressions are read from the file the
// finding is reported in, line by line, with comments and string literals
// recognised so a `;` in a string does not end a statement.
// Tested by tests/cli/suppress_test.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scan/mode.h"

namespace nxpool::suppress {

struct Span {
  std::uint32_t first = 0, last = 0;  // lines, inclusive
  std::vector<int> warnings;          // 30030 ...
  std::vector<std::string> rules;     // "NX2001" ...
  std::string kind;                   // "pragma warning", "pragma prefast", "nxpool-ignore"
  std::string justification;
};

class InSource {
 public:
  explicit InSource(const std::string& text);
  // The span that suppresses `rule` at `line` in a unit of mode `mode`, or null.
  const Span* find(std::uint32_t line, const std::string& rule, scan::NxMode mode) const;
  const std::vector<Span>& spans() const { return spans_; }

 private:
  std::vector<Span> spans_;
};

}  // namespace nxpool::suppress
