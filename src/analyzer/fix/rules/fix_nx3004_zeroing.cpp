// The zeroing that ExAllocatePool2 makes redundant. Drivers moving off
// ExAllocatePoolWithTag often clear the block right after allocating it;
// ExAllocatePool2 already returns it zeroed, so that statement can go. It
// is removed only when there is no doubt it clears exactly the new block:
//   p = [cast] ExAllocatePool…(…, n, …);      (or a declaration `T *p = …;`)
//   [if (!p | p == NULL | NULL == p | p == 0) <statement or {block}>]
//   RtlZeroMemory(p, n);   or   memset(p, 0, n);
// with p and n spelled with the same tokens as the assigned pointer and the
// size argument (a cast on p in the zeroing call is allowed). Anything else
// between them, an `else`, or a directive keeps the statement. A clear of a
// different size is kept: dropping a too-large clear would hide a bug, and
// a smaller one is harmless. The statement's whole line goes when nothing
// else is on it, so no blank line is left.
// Tested by tests/fix/fix_nx3004_test.cpp.
#include "fix/rules/fix_nx3004.h"

namespace nxpool::fix {
namespace {

// Token spellings of [from, to) joined by one space: "p -> buf".
std::string words(const FileTokens& ft, std::size_t from, std::size_t to) {
  std::string w;
  for (std::size_t i = from; i < to; ++i) w += (w.empty() ? "" : " ") + std::string(ft.spell(i));
  return w;
}

bool directive_at(const FileTokens& ft, std::size_t i) { return i < ft.toks.size() && ft.toks[i].at_bol() && ft.is(i, "#"); }

// The pointer the call's result is assigned to: the identifier chain
// (a, a->b, a.b) right before `=`, skipping a cast between `=` and the call.
std::optional<std::string> assigned_pointer(const FileTokens& ft, std::size_t name) {
  std::size_t i = name;
  if (i > 0 && ft.is(i - 1, ")")) {  // a cast: (PVOID) or (struct x *)
    int depth = 0;
    do {
      --i;
      if (ft.is(i, ")")) ++depth;
      else if (ft.is(i, "(")) --depth;
    } while (i > 0 && depth > 0);
    if (depth != 0) return std::nullopt;
  }
  if (i < 2 || !ft.is(i - 1, "=")) return std::nullopt;
  std::size_t end = i - 1, from = end;
  while (from > 0 && (ft.toks[from - 1].kind == lex::TokenKind::Identifier || ft.is(from - 1, "->") || ft.is(from - 1, "."))) {
    --from;
    if (ft.toks[from].kind == lex::TokenKind::Identifier && from > 0 && ft.toks[from - 1].kind == lex::TokenKind::Identifier)
      break;  // `PVOID p`: the declared name only
  }
  if (from == end || ft.toks[from].kind != lex::TokenKind::Identifier) return std::nullopt;
  return words(ft, from, end);
}

// Index just past a balanced group starting at `open` ("(" or "{").
std::optional<std::size_t> past_group(const FileTokens& ft, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < ft.toks.size(); ++i) {
    if (directive_at(ft, i)) return std::nullopt;
    std::string_view s = ft.spell(i);
    if (s == "(" || s == "{" || s == "[") ++depth;
    else if (s == ")" || s == "}" || s == "]") {
      if (--depth == 0) return i + 1;
    }
  }
  return std::nullopt;
}

// Index past the statement starting at i (a {block} or up to its ';').
std::optional<std::size_t> past_statement(const FileTokens& ft, std::size_t i) {
  if (ft.is(i, "{")) return past_group(ft, i);
  for (; i < ft.toks.size(); ++i) {
    if (directive_at(ft, i) || ft.is(i, "{") || ft.is(i, "}")) return std::nullopt;
    if (ft.is(i, "(")) {
      auto p = past_group(ft, i);
      if (!p) return std::nullopt;
      i = *p - 1;
    } else if (ft.is(i, ";")) {
      return i + 1;
    }
  }
  return std::nullopt;
}

// Is `if (cond)` at i a plain null check of p? Returns the index past it.
std::optional<std::size_t> past_null_check(const FileTokens& ft, std::size_t i, const std::string& p) {
  if (!ft.is(i, "if") || !ft.is(i + 1, "(")) return std::nullopt;
  auto close = past_group(ft, i + 1);
  if (!close) return std::nullopt;
  std::string cond = words(ft, i + 2, *close - 1);
  if (cond != "! " + p && cond != p + " == NULL" && cond != "NULL == " + p && cond != p + " == 0")
    return std::nullopt;
  auto end = past_statement(ft, *close);
  if (!end || ft.is(*end, "else")) return std::nullopt;
  return end;
}

}  // namespace

std::optional<Edit> redundant_zeroing(const FileTokens& ft, std::size_t name, const FileTokens::Args& args) {
  auto p = assigned_pointer(ft, name);
  if (!p || args.ranges.size() < 2 || !ft.is(args.close + 1, ";")) return std::nullopt;
  std::string size = words(ft, args.ranges[1].first, args.ranges[1].second);
  std::size_t i = args.close + 2;
  if (auto after = past_null_check(ft, i, *p)) i = *after;
  if (directive_at(ft, i)) return std::nullopt;
  bool rtl = ft.is(i, "RtlZeroMemory");
  if (!rtl && !ft.is(i, "memset")) return std::nullopt;
  auto zargs = ft.call_args(i);
  if (!zargs || !ft.is(zargs->close + 1, ";")) return std::nullopt;
  const auto& z = zargs->ranges;
  if (z.size() != (rtl ? 2u : 3u)) return std::nullopt;
  if (!rtl && words(ft, z[1].first, z[1].second) != "0") return std::nullopt;
  // The pointer, with an optional leading cast.
  std::size_t from = z[0].first;
  if (ft.is(from, "(")) {
    auto c = past_group(ft, from);
    if (c && *c < z[0].second) from = *c;
  }
  if (words(ft, from, z[0].second) != *p || words(ft, z.back().first, z.back().second) != size) return std::nullopt;
  // Remove the statement; with its line when it is alone on it.
  std::size_t b = ft.toks[i].offset, e = ft.toks[zargs->close + 1].offset + 1;
  std::size_t ls = b;
  while (ls > 0 && (ft.text[ls - 1] == ' ' || ft.text[ls - 1] == '\t')) --ls;
  std::size_t le = e;
  while (le < ft.text.size() && (ft.text[le] == ' ' || ft.text[le] == '\t')) ++le;
  bool line_start = ls == 0 || ft.text[ls - 1] == '\n' || ft.text[ls - 1] == '\r';
  bool line_end = le == ft.text.size() || ft.text[le] == '\n' || ft.text[le] == '\r';
  if (line_start && line_end) {
    if (le < ft.text.size() && ft.text[le] == '\r') ++le;
    if (le < ft.text.size() && ft.text[le] == '\n') ++le;
    return Edit{ls, le - ls, "", "NX3004"};
  }
  return Edit{ls, e - ls, "", "NX3004"};
}

}  // namespace nxpool::fix
