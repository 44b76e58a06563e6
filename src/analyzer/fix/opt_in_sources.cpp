// The opt-in in a WDK `sources` file and in DriverEntry.
//
// sources: one C_DEFINES assignment gets ` -DNAME=1` at the end of its
// logical line (after the last continuation line's text, before its line
// ending), in the file's spelling (`/D` when the existing value uses it).
// With no assignment, or several (e.g. in !if blocks, where the right one
// is not clear), a new `C_DEFINES = $(C_DEFINES) -DNAME=1` line is added at
// the end, which applies after all of them.
//
// DriverEntry (OPTIN only): the first statement of its body becomes
// ExInitializeDriverRuntime(DrvRtPoolNxOptIn); on its own line, indented
// like the body's first line, with the line ending of the brace's line.
// Tested by tests/fix/opt_in_test.cpp.
#include "fix/opt_in.h"
#include "fix/site_tokens.h"

namespace nxpool::fix {
namespace {

std::string eol_of(const std::string& t, std::size_t at) {
  std::size_t e = t.find_first_of("\r\n", at);
  if (e == std::string::npos) return "\n";
  if (t[e] == '\r') return e + 1 < t.size() && t[e + 1] == '\n' ? "\r\n" : "\r";
  return "\n";
}

bool line_start(const std::string& t, std::size_t i) { return i == 0 || t[i - 1] == '\n' || t[i - 1] == '\r'; }

}  // namespace

std::vector<Edit> sources_opt_in(const std::string& text, const std::string& definition) {
  std::vector<std::size_t> assignments;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!line_start(text, i)) continue;
    std::size_t j = i;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (text.compare(j, 9, "C_DEFINES") != 0) continue;
    j += 9;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (j < text.size() && (text[j] == '=' || (text[j] == '+' && j + 1 < text.size() && text[j + 1] == '=')))
      assignments.push_back(j);
  }
  if (assignments.size() == 1) {
    // The end of the logical line: follow backslash continuations.
    std::size_t e = assignments[0];
    for (;;) {
      e = text.find_first_of("\r\n", e);
      if (e == std::string::npos) e = text.size();
      std::size_t last = e;
      while (last > 0 && (text[last - 1] == ' ' || text[last - 1] == '\t')) --last;
      if (last > 0 && text[last - 1] == '\\' && e < text.size()) {
        e += text.compare(e, 2, "\r\n") == 0 ? 2 : 1;
        continue;
      }
      std::size_t eq = assignments[0];
      std::string value = text.substr(eq, last - eq);
      bool slash = value.find("/D") != std::string::npos && value.find("-D") == std::string::npos;
      return {Edit{last, 0, std::string(slash ? " /D" : " -D") + definition, "opt-in"}};
    }
  }
  std::string eol = eol_of(text, 0);
  bool ends_open = !text.empty() && text.back() != '\n' && text.back() != '\r';
  return {Edit{text.size(), 0, (ends_open ? eol : "") + "C_DEFINES = $(C_DEFINES) -D" + definition + eol, "opt-in"}};
}

std::optional<Edit> driver_entry_init(const std::string& text, std::string& why) {
  FileTokens ft(text);
  int depth = 0;
  for (std::size_t i = 0; i < ft.toks.size(); ++i) {
    std::string_view s = ft.spell(i);
    if (s == "{") ++depth;
    else if (s == "}") --depth;
    if (depth != 0 || s != "DriverEntry") continue;
    auto args = ft.call_args(i);
    if (!args || !ft.is(args->close + 1, "{")) continue;  // a declaration or a call
    std::size_t open = args->close + 1;
    int d = 0;
    for (std::size_t k = open; k < ft.toks.size(); ++k) {
      if (ft.is(k, "{")) ++d;
      else if (ft.is(k, "}") && --d == 0) break;
      if (ft.is(k, "ExInitializeDriverRuntime")) {
        why = "DriverEntry already calls ExInitializeDriverRuntime";
        return std::nullopt;
      }
    }
    std::size_t brace_end = ft.toks[open].offset + 1;
    const std::string call = "ExInitializeDriverRuntime(DrvRtPoolNxOptIn);";
    if (open + 1 >= ft.toks.size() || ft.toks[open + 1].line == ft.toks[open].line)
      return Edit{brace_end, 0, " " + call, "opt-in"};
    // The next line starts after the brace's line ending.
    std::size_t nl = text.find_first_of("\r\n", brace_end);
    std::string eol = eol_of(text, brace_end);
    std::size_t next = nl + eol.size();
    const lex::Token& first = ft.toks[open + 1];
    std::size_t ls = first.offset;
    while (ls > 0 && text[ls - 1] != '\n' && text[ls - 1] != '\r') --ls;
    std::string indent = text.substr(ls, first.offset - ls);
    if (indent.find_first_not_of(" \t") != std::string::npos || first.line == ft.toks[open].line) indent = "    ";
    if (ft.is(open + 1, "}")) indent += "    ";  // an empty body: one step deeper than its brace
    return Edit{next, 0, indent + call + eol, "opt-in"};
  }
  why = "no DriverEntry body in this file";
  return std::nullopt;
}

}  // namespace nxpool::fix
