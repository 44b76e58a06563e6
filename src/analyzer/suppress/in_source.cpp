// One forward pass over the lines of a file. Each line is split into its
// code (comments removed, string and character literals blanked) and its
// comment text, carrying the "inside /* */" state to the next line. Pragmas
// are parsed from the raw line (a prefast justification is a string).
// A "next statement" suppression opens at the next code line and closes at
// the line holding the statement's end: the first `;` outside parentheses,
// or a `{` or `}` (so a suppression above `if (...) {` covers the condition).
#include "suppress/in_source.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "suppress/warning_map.h"

namespace nxpool::suppress {
namespace {

struct SplitLine {
  std::string code;
  std::string comment;
};

SplitLine split(const std::string& line, bool& in_block) {
  SplitLine out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_block) {
      if (c == '*' && i + 1 < line.size() && line[i + 1] == '/') {
        in_block = false;
        ++i;
        out.code += ' ';
      } else {
        out.comment += c;
      }
      continue;
    }
    if (c == '/' && i + 1 < line.size() && line[i + 1] == '/') {
      out.comment += line.substr(i + 2);
      break;
    }
    if (c == '/' && i + 1 < line.size() && line[i + 1] == '*') {
      in_block = true;
      ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      out.code += c;
      for (++i; i < line.size() && line[i] != c; ++i)
        if (line[i] == '\\') ++i;
      out.code += c;
      continue;
    }
    out.code += c;
  }
  return out;
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// A pragma's specifiers: "suppress: 30030 30031, \"why\"" -> name, codes, string.
struct Specifier {
  std::string name;
  std::vector<int> codes;
  std::string text;  // the first string literal, if any
};

std::vector<Specifier> parse_specifiers(std::string_view body) {
  std::vector<Specifier> out;
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '"') {
      std::size_t j = i + 1;
      while (j < body.size() && body[j] != '"') j += body[j] == '\\' ? 2 : 1;
      parts.back() += body.substr(i, std::min(j + 1, body.size()) - i);
      i = j;
    } else if (body[i] == ';') {
      parts.emplace_back();
    } else {
      parts.back() += body[i];
    }
  }
  for (const std::string& p : parts) {
    Specifier s;
    std::size_t colon = p.find(':'), quote = p.find('"');
    if (quote != std::string::npos && quote < colon) colon = std::string::npos;
    s.name = trim(p.substr(0, std::min(colon, p.find(','))));
    for (char& c : s.name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string rest = colon == std::string::npos ? "" : p.substr(colon + 1);
    if (std::size_t q = rest.find('"'); q != std::string::npos) {
      std::size_t e = rest.find('"', q + 1);
      s.text = rest.substr(q + 1, e == std::string::npos ? std::string::npos : e - q - 1);
      rest.resize(q);
    }
    for (std::size_t i = 0; i < rest.size();) {
      if (std::isdigit(static_cast<unsigned char>(rest[i]))) {
        std::size_t j = i;
        while (j < rest.size() && std::isdigit(static_cast<unsigned char>(rest[j]))) ++j;
        bool lead = i == 0 || !std::isalnum(static_cast<unsigned char>(rest[i - 1])) ||
                    ((rest[i - 1] == 'C' || rest[i - 1] == 'c') &&
                     (i == 1 || !std::isalnum(static_cast<unsigned char>(rest[i - 2]))));
        if (lead && j - i <= 6) s.codes.push_back(std::stoi(rest.substr(i, j - i)));
        i = j;
      } else {
        ++i;
      }
    }
    if (!s.name.empty()) out.push_back(std::move(s));
  }
  return out;
}

// "NX2001, NX2005: reason" after the nxpool-ignore marker.
void parse_ignore(std::string_view s, Span& span) {
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) ++i;
    if (i + 6 <= s.size() && (s[i] == 'N' || s[i] == 'n') && (s[i + 1] == 'X' || s[i + 1] == 'x') &&
        std::all_of(s.begin() + i + 2, s.begin() + i + 6, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
        (i + 6 == s.size() || !std::isalnum(static_cast<unsigned char>(s[i + 6])))) {
      span.rules.push_back("NX" + std::string(s.substr(i + 2, 4)));
      i += 6;
    } else {
      break;
    }
  }
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i < s.size() && (s[i] == ':' || s[i] == '-')) span.justification = trim(s.substr(i + 1));
}

bool ends_statement(const std::string& code, int& depth) {
  for (char c : code) {
    if (c == '(') ++depth;
    else if (c == ')') depth = std::max(0, depth - 1);
    else if ((c == ';' && depth == 0) || c == '{' || c == '}') return true;
  }
  return false;
}

}  // namespace

InSource::InSource(const std::string& text) {
  std::vector<int> disabled;
  std::vector<std::vector<int>> stack;
  std::map<int, std::uint32_t> open_since;  // disabled warning -> first line
  std::vector<Span> pending, active;        // next-statement suppressions
  int depth = 0;
  bool in_block = false;
  std::uint32_t line_no = 0;

  auto set_disabled = [&](std::vector<int> next, std::uint32_t line) {
    for (int w : disabled)
      if (std::find(next.begin(), next.end(), w) == next.end()) {
        if (open_since[w] <= line) spans_.push_back({open_since[w], line, {w}, {}, "pragma warning", ""});
        open_since.erase(w);
      }
    for (int w : next)
      if (!open_since.count(w)) open_since[w] = line + 1;
    disabled = std::move(next);
  };

  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string raw = text.substr(pos, nl - pos);
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    pos = nl + 1;
    ++line_no;
    SplitLine sl = split(raw, in_block);
    std::string code = trim(sl.code);

    if (std::size_t m = sl.comment.find("nxpool-ignore"); m != std::string::npos) {
      Span s;
      s.kind = "nxpool-ignore";
      parse_ignore(std::string_view(sl.comment).substr(m + 13), s);
      if (!s.rules.empty()) {
        if (!code.empty()) {  // on a line with code (a #define included): that line
          s.first = s.last = line_no;
          spans_.push_back(std::move(s));
        } else {
          pending.push_back(std::move(s));
        }
      }
    }

    if (!code.empty() && code[0] == '#') {
      std::string d = trim(std::string_view(code).substr(1));
      if (d.rfind("pragma", 0) != 0) continue;
      std::size_t hash = raw.find("pragma");
      std::string rest = trim(std::string_view(raw).substr(hash + 6));
      bool prefast = rest.rfind("prefast", 0) == 0;
      if (!prefast && rest.rfind("warning", 0) != 0) continue;
      std::size_t open = rest.find('('), close = rest.rfind(')');
      if (open == std::string::npos || close == std::string::npos || close < open) continue;
      for (const Specifier& sp : parse_specifiers(std::string_view(rest).substr(open + 1, close - open - 1))) {
        if (sp.name == "suppress") {
          pending.push_back({0, 0, sp.codes, {}, prefast ? "pragma prefast" : "pragma warning", sp.text});
        } else if (sp.name == "disable") {
          std::vector<int> next = disabled;
          for (int w : sp.codes)
            if (std::find(next.begin(), next.end(), w) == next.end()) next.push_back(w);
          set_disabled(std::move(next), line_no);
        } else if (sp.name == "default" || sp.name == "error" || sp.name == "once" ||
                   (sp.name.size() == 1 && sp.name[0] >= '1' && sp.name[0] <= '4')) {
          std::vector<int> next = disabled;
          std::erase_if(next, [&](int w) { return std::find(sp.codes.begin(), sp.codes.end(), w) != sp.codes.end(); });
          set_disabled(std::move(next), line_no);
        } else if (sp.name == "push") {
          stack.push_back(disabled);
        } else if (sp.name == "pop" && !stack.empty()) {
          std::vector<int> back = std::move(stack.back());
          stack.pop_back();
          set_disabled(std::move(back), line_no);
        }
      }
      continue;
    }
    if (code.empty()) continue;
    if (!pending.empty() && active.empty()) {
      active = std::move(pending);
      pending.clear();
      for (Span& s : active) s.first = line_no;
      depth = 0;
    }
    if (!active.empty() && ends_statement(code, depth)) {
      for (Span& s : active) {
        s.last = line_no;
        spans_.push_back(std::move(s));
      }
      active.clear();
    }
  }
  for (Span& s : active) {
    s.last = line_no;
    spans_.push_back(std::move(s));
  }
  set_disabled({}, line_no);
}

const Span* InSource::find(std::uint32_t line, const std::string& rule, scan::NxMode mode) const {
  for (const Span& s : spans_) {
    if (line < s.first || line > s.last) continue;
    if (std::find(s.rules.begin(), s.rules.end(), rule) != s.rules.end()) return &s;
    for (int w : s.warnings) {
      const WarningMapping* m = find_warning(w);
      if (!m || (m->optout_only && mode != scan::NxMode::OptOut)) continue;
      for (std::string_view r : m->rules)
        if (r == rule) return &s;
    }
  }
  return nullptr;
}

}  // namespace nxpool::suppress
