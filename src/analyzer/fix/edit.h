// Text edits and the unified diff that shows them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nxpool::fix {

// Replace text[offset, offset + length) by `text`. Offsets are in the text
// the lexer sees (SourceBytes::text).
struct Edit {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string replacement;
  std::string rule;  // the rule whose fix made it
  bool operator==(const Edit& o) const {
    return offset == o.offset && length == o.length && replacement == o.replacement;
  }
};

// Sorts `edits`, drops exact duplicates, and returns false (leaving `edits`
// sorted) when two of them overlap: the caller decides which to keep.
bool normalize_edits(std::vector<Edit>& edits);

// `text` with every edit applied (edits sorted and disjoint).
std::string apply_edits(const std::string& text, const std::vector<Edit>& edits);

// A `git apply`-able unified diff of one file, `a/<path>` to `b/<path>`, with
// three lines of context. Lines end at '\n'; a '\r' before it is part of the
// line, so CRLF files round-trip; a missing final newline gets git's
// "\ No newline at end of file" marker. `shift` is where the text starts
// in the bytes (3 after a UTF-8 BOM), so the BOM stays in the first line.
// Empty when old == new.
std::string unified_diff(const std::string& path, const std::string& old_bytes, const std::string& new_bytes,
                         const std::vector<Edit>& edits, std::size_t shift);

// A diff for a file git treats as binary (UTF-16: it has NUL bytes): a
// "GIT binary patch" with the whole new contents, which `git apply` checks
// against the old blob's id.
std::string binary_diff(const std::string& path, const std::string& old_bytes, const std::string& new_bytes);

}  // namespace nxpool::fix
