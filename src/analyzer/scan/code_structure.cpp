// One forward pass keeps three stacks: open parentheses/brackets (with the
// identifier before each, its callee), open braces (function body, enum,
// class, namespace, initializer or block) and the start of the current
// statement. A brace opens a function body when it follows a top-level
// parameter list outside any function; its name is that list's callee
// (annotation groups such as _IRQL_requires_(...) are skipped). Contexts
// for a relevant token are read off those stacks and its neighbours, so the
// pass is linear and allocation-free apart from the stacks themselves.
// Calls of API words are then split into top-level arguments.
// Tested by tests/analyzer/code_structure_test.cpp and the rule cases.
#include "scan/code_structure.h"

#include <algorithm>

namespace nxpool::scan {
namespace {

enum class BraceKind : std::uint8_t { Function, Enum, Class, Namespace, Init, Block };

struct Paren {
  std::uint32_t open;
  std::int32_t callee;
};

struct Brace {
  BraceKind kind;
  std::string_view name;
  std::size_t paren_base;
};

bool is_expr_keyword(std::string_view s) {
  return s == "return" || s == "case" || s == "sizeof" || s == "throw" || s == "else" || s == "do" ||
         s == "co_return" || s == "co_yield" || s == "new" || s == "delete" || s == "alignof" || s == "_Alignof";
}

bool is_operand_end(const pp::PToken& t) {
  if (t.kind == lex::TokenKind::Identifier) return !is_expr_keyword(t.text);
  if (t.kind == lex::TokenKind::Number || t.kind == lex::TokenKind::CharLiteral ||
      t.kind == lex::TokenKind::StringLiteral)
    return true;
  return t.is_punct(")") || t.is_punct("]");
}

bool is_cmp(const pp::PToken& t) {
  return t.kind == lex::TokenKind::Punct &&
         (t.text == "==" || t.text == "!=" || t.text == "<=" || t.text == ">=" || t.text == "<" || t.text == ">");
}

}  // namespace

bool is_annotation_name(std::string_view s) {
  if (s.size() >= 3 && s[0] == '_' && s.back() == '_' && s[1] >= 'A' && s[1] <= 'Z') return true;  // SAL 2
  if (s.rfind("__drv_", 0) == 0) return true;
  return s == "__declspec" || s == "__attribute__" || s == "__pragma" || s == "_Pragma" ||
         s == "__in_bcount" || s == "__out_bcount" || s == "alignas" || s == "__alignof";
}

CodeStructure analyze_structure(const std::vector<pp::PToken>& code) {
  CodeStructure cs;
  std::vector<Paren> parens;
  std::vector<Brace> braces;
  std::size_t stmt = 0;
  std::int32_t last_callee = -1;
  std::size_t fn_depth = 0;  // number of Function braces open
  const std::size_t n = code.size();
  auto base = [&] { return braces.empty() ? std::size_t{0} : braces.back().paren_base; };

  for (std::size_t i = 0; i < n; ++i) {
    const pp::PToken& t = code[i];
    if (t.kind == lex::TokenKind::Punct) {
      // Every bracket this walk tracks is one character: compare that, not
      // strings (issue 15: these compares were 2 % of a scan).
      const char p = t.text.size() == 1 ? t.text[0] : '\0';
      if (p == '(' || p == '[') {
        std::int32_t callee = (p == '(' && i > 0 && code[i - 1].is_ident()) ? static_cast<std::int32_t>(i - 1) : -1;
        parens.push_back({static_cast<std::uint32_t>(i), callee});
      } else if (p == ')' || p == ']') {
        if (parens.size() > base()) {
          Paren q = parens.back();
          parens.pop_back();
          if (parens.size() == base() && q.callee >= 0 && !is_annotation_name(code[q.callee].text))
            last_callee = q.callee;
        }
      } else if (p == '{') {
        BraceKind kind = BraceKind::Block;
        std::string_view name;
        const pp::PToken* prev = i > 0 ? &code[i - 1] : nullptr;
        bool head_enum = false, head_class = false, head_ns = false;
        for (std::size_t k = stmt; k < i && k < stmt + 64; ++k) {
          std::string_view w = code[k].text;
          if (w == "enum") head_enum = true;
          else if (w == "struct" || w == "class" || w == "union") head_class = true;
          else if (w == "namespace" || (w == "extern" && k + 1 < i && code[k + 1].kind == lex::TokenKind::StringLiteral))
            head_ns = true;
        }
        bool in_init = !braces.empty() && braces.back().kind == BraceKind::Init;
        if (parens.size() > base() || in_init ||
            (prev && (prev->is_punct("=") || prev->is_punct(",") || prev->is_punct("(") || prev->is("return")))) {
          kind = BraceKind::Init;
        } else if (head_enum) {
          kind = BraceKind::Enum;
        } else if (fn_depth == 0 && last_callee >= 0 && prev &&
                   (prev->is_punct(")") || prev->is("const") || prev->is("noexcept") || prev->is("override") ||
                    prev->is("final") || prev->is_ident())) {
          kind = BraceKind::Function;
          name = code[static_cast<std::size_t>(last_callee)].text;
        } else if (head_ns) {
          kind = BraceKind::Namespace;
        } else if (head_class) {
          kind = BraceKind::Class;
        }
        if (kind == BraceKind::Function) ++fn_depth;
        braces.push_back({kind, name, parens.size()});
        stmt = i + 1;
        last_callee = -1;
      } else if (p == '}') {
        if (!braces.empty()) {
          if (braces.back().kind == BraceKind::Function) --fn_depth;
          parens.resize(std::min(parens.size(), braces.back().paren_base));
          braces.pop_back();
        }
        stmt = i + 1;
        last_callee = -1;
      } else if (p == ';') {
        if (parens.size() <= base()) {
          stmt = i + 1;
          last_callee = -1;
        }
      } else if (p == ':' && stmt < i && (code[stmt].is("case") || code[stmt].is("default")) &&
                 parens.size() <= base()) {
        stmt = i + 1;
      }
      continue;
    }
    if (t.kind != lex::TokenKind::Identifier) continue;
    Word w = classify(t.text);
    if (w == Word::None) continue;

    Site s;
    s.idx = static_cast<std::uint32_t>(i);
    s.word = w;
    for (auto it = braces.rbegin(); it != braces.rend(); ++it) {
      if (it->kind == BraceKind::Function) {
        s.function = it->name;
        break;
      }
    }
    s.file_scope = fn_depth == 0;
    const pp::PToken* prev = i > 0 ? &code[i - 1] : nullptr;
    const pp::PToken* next = i + 1 < n ? &code[i + 1] : nullptr;
    s.member = prev && (prev->is_punct(".") || prev->is_punct("->") ||
                        (prev->is_punct("::") && i >= 2 && code[i - 2].is_ident()));
    s.is_call = next && next->is_punct("(");
    s.template_arg = prev && prev->is_punct("<") && i >= 2 && code[i - 2].is_ident() && next &&
                     (next->is_punct(">") || next->is_punct(",") || next->is_punct(">>"));
    if (!s.template_arg) s.comparison = (prev && is_cmp(*prev)) || (next && is_cmp(*next));
    s.bit_test = (prev && (prev->is_punct("&=") || (prev->is_punct("&") && i >= 2 && is_operand_end(code[i - 2])))) ||
                 (next && (next->is_punct("&") || next->is_punct("&=")));
    s.declaration = prev && prev->is_ident() && !is_expr_keyword(prev->text) && !is_annotation_name(prev->text) &&
                    !(next && next->is_punct("("));
    for (const Paren& q : parens) {
      if (q.callee >= 0 && is_annotation_name(code[static_cast<std::size_t>(q.callee)].text)) {
        s.in_sal = true;
        break;
      }
    }
    std::size_t from = stmt + 512 < i ? i - 512 : stmt;
    int depth = 0;
    for (std::size_t k = from; k < i; ++k) {
      const pp::PToken& h = code[k];
      if (h.is_punct("(") || h.is_punct("[") || h.is_punct("{")) ++depth;
      else if (h.is_punct(")") || h.is_punct("]") || h.is_punct("}")) --depth;
      else if (h.is("static")) s.static_decl = true;
      else if (h.is("constexpr") || h.is("constinit") || h.is("static_assert")) s.constexpr_decl = true;
      else if (h.is("inline")) s.inline_decl = true;
      else if (h.is_punct("=") && depth == 0) s.initializer = true;
    }
    if (stmt < i && code[stmt].is("case")) s.case_label = true;
    s.in_class = !braces.empty() && braces.back().kind == BraceKind::Class && parens.size() <= base();
    if (!braces.empty() && braces.back().kind == BraceKind::Enum && parens.size() <= base()) {
      s.in_enum = true;
      for (std::size_t k = i; k-- > stmt;) {
        if (code[k].is_punct(",") || code[k].is_punct("{")) break;
        if (code[k].is_punct("=")) {
          s.enumerator_init = true;
          break;
        }
      }
      s.enumerator_decl = !s.enumerator_init && prev && (prev->is_punct(",") || prev->is_punct("{"));
    }
    cs.sites.push_back(s);
  }

  // Split API calls into arguments.
  for (const Site& s : cs.sites) {
    if (!s.is_call || s.member) continue;
    switch (s.word) {
      case Word::LegacyAllocator: case Word::ExAllocatePool2: case Word::ExInitializeLookasideListEx:
      case Word::ExInitializeNPagedLookasideList: case Word::MmGetSystemAddressForMdlSafe:
      case Word::MmMapLockedPagesSpecifyCache: case Word::ExecutableOnlyApi: case Word::ContiguousSpecifyCache:
      case Word::ExInitializeDriverRuntime:
        break;
      default:
        continue;
    }
    Call c;
    c.name = s.idx;
    c.open = s.idx + 1;
    int depth = 0;
    std::uint32_t arg_begin = c.open + 1;
    bool closed = false;
    for (std::size_t k = c.open; k < n && k < c.open + 100000u; ++k) {
      const pp::PToken& h = code[k];
      if (h.is_punct("(") || h.is_punct("[") || h.is_punct("{")) {
        ++depth;
      } else if (h.is_punct(")") || h.is_punct("]") || h.is_punct("}")) {
        if (--depth == 0) {
          if (k > arg_begin || !c.args.empty()) c.args.emplace_back(arg_begin, static_cast<std::uint32_t>(k));
          c.close = static_cast<std::uint32_t>(k);
          closed = true;
          break;
        }
      } else if (depth == 1 && h.is_punct(",")) {
        c.args.emplace_back(arg_begin, static_cast<std::uint32_t>(k));
        arg_begin = static_cast<std::uint32_t>(k + 1);
      } else if (depth == 1 && h.is_punct(";")) {
        break;  // not a call after all (unbalanced input)
      }
    }
    if (closed) cs.calls.push_back(std::move(c));
  }
  return cs;
}

}  // namespace nxpool::scan
