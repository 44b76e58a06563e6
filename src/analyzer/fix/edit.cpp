// The diff is built from the edits, not by comparing the files: every edit
// touches the lines that hold [offset, offset + length); everything between
// two such line ranges is identical in both files, so each range is one
// change and nearby changes share a hunk, exactly as diff -U3 would group
// them. Tested by tests/fix/edit_test.cpp, which applies every diff with
// `git apply` and compares with the real run's bytes.
#include "fix/edit.h"

#include <algorithm>

#include <fmt/format.h>

namespace nxpool::fix {

bool normalize_edits(std::vector<Edit>& edits) {
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.offset != b.offset ? a.offset < b.offset : a.length < b.length; });
  edits.erase(std::unique(edits.begin(), edits.end()), edits.end());
  for (std::size_t i = 1; i < edits.size(); ++i) {
    const Edit& p = edits[i - 1];
    const Edit& e = edits[i];
    if (e.offset < p.offset + p.length || (e.offset == p.offset && (p.length == 0 || e.length == 0))) return false;
  }
  return true;
}

std::string apply_edits(const std::string& text, const std::vector<Edit>& edits) {
  std::string out;
  out.reserve(text.size() + 64);
  std::size_t at = 0;
  for (const Edit& e : edits) {
    out.append(text, at, e.offset - at);
    out += e.replacement;
    at = e.offset + e.length;
  }
  out.append(text, at, std::string::npos);
  return out;
}

namespace {

std::vector<std::size_t> line_starts(const std::string& s) {
  std::vector<std::size_t> v{0};
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\n' && i + 1 < s.size()) v.push_back(i + 1);
  if (s.empty()) v.clear();
  return v;
}

// Index of the line that holds byte `pos` (pos may be == size: the last line).
std::size_t line_of(const std::vector<std::size_t>& starts, std::size_t pos) {
  auto it = std::upper_bound(starts.begin(), starts.end(), pos);
  return it == starts.begin() ? 0 : static_cast<std::size_t>(it - starts.begin()) - 1;
}

struct Change {
  std::size_t old_first, old_last;  // line indices [first, last)
  std::size_t new_first, new_last;
};

void put_line(std::string& out, char mark, const std::string& s, const std::vector<std::size_t>& starts, std::size_t i) {
  std::size_t b = starts[i];
  std::size_t e = i + 1 < starts.size() ? starts[i + 1] : s.size();
  out += mark;
  out.append(s, b, e - b);
  if (e == 0 || s[e - 1] != '\n') out += "\n\\ No newline at end of file\n";
}

std::string range(std::size_t first, std::size_t count) {
  return count == 0 ? fmt::format("{},0", first) : fmt::format("{},{}", first + 1, count);
}

}  // namespace

std::string unified_diff(const std::string& path, const std::string& old_bytes, const std::string& new_bytes,
                         const std::vector<Edit>& edits, std::size_t shift) {
  if (old_bytes == new_bytes) return "";
  auto os = line_starts(old_bytes);
  auto ns = line_starts(new_bytes);
  std::vector<Change> changes;
  // A change's new lines are known once every edit on its old lines is
  // counted: its end moves with each of them (several edits on one line).
  long delta = 0;
  std::size_t new_begin = 0;
  auto close = [&](Change& c) {
    std::size_t old_end = c.old_last < os.size() ? os[c.old_last] : old_bytes.size();
    std::size_t new_end = static_cast<std::size_t>(static_cast<long>(old_end) + delta);
    c.new_last = new_end == new_begin ? c.new_first : line_of(ns, new_end - 1) + 1;
  };
  for (const Edit& e : edits) {
    std::size_t ob = e.offset + shift, oe = ob + e.length;
    std::size_t lf = line_of(os, ob);
    // The last old line touched: the one holding oe, unless the edit removes
    // up to a line start (then the line before it ends the change).
    std::size_t ll = (oe > ob && oe < old_bytes.size() && old_bytes[oe - 1] == '\n') ? line_of(os, oe - 1)
                                                                                      : line_of(os, oe);
    if (os.empty()) ll = lf = 0;
    std::size_t last = os.empty() ? 0 : ll + 1;
    if (!changes.empty() && changes.back().old_last > lf) {
      changes.back().old_last = std::max(changes.back().old_last, last);
    } else {
      if (!changes.empty()) close(changes.back());
      new_begin = static_cast<std::size_t>(static_cast<long>(os.empty() ? 0 : os[lf]) + delta);
      changes.push_back(Change{lf, last, ns.empty() ? 0 : line_of(ns, new_begin), 0});
    }
    delta += static_cast<long>(e.replacement.size()) - static_cast<long>(e.length);
  }
  if (!changes.empty()) close(changes.back());
  std::string out = fmt::format("diff --git a/{0} b/{0}\n--- a/{0}\n+++ b/{0}\n", path);
  constexpr std::size_t ctx = 3;
  for (std::size_t i = 0; i < changes.size();) {
    std::size_t j = i;
    while (j + 1 < changes.size() && changes[j + 1].old_first - changes[j].old_last <= 2 * ctx) ++j;
    std::size_t ob = changes[i].old_first >= ctx ? changes[i].old_first - ctx : 0;
    std::size_t oe = std::min(os.size(), changes[j].old_last + ctx);
    std::size_t nb = changes[i].new_first - (changes[i].old_first - ob);
    std::size_t ne = changes[j].new_last + (oe - changes[j].old_last);
    out += fmt::format("@@ -{} +{} @@\n", range(ob, oe - ob), range(nb, ne - nb));
    std::size_t at = ob;
    for (std::size_t k = i; k <= j; ++k) {
      for (; at < changes[k].old_first; ++at) put_line(out, ' ', old_bytes, os, at);
      for (std::size_t l = changes[k].old_first; l < changes[k].old_last; ++l) put_line(out, '-', old_bytes, os, l);
      for (std::size_t l = changes[k].new_first; l < changes[k].new_last; ++l) put_line(out, '+', new_bytes, ns, l);
      at = changes[k].old_last;
    }
    for (; at < oe; ++at) put_line(out, ' ', old_bytes, os, at);
    i = j + 1;
  }
  return out;
}

}  // namespace nxpool::fix
