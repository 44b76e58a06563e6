// A light structural pass over a unit's code tokens: which function each
// relevant token is in, and in what syntactic context it is used (call
// argument, initializer, comparison, bit test, case label, enumerator,
// template argument, SAL annotation, member access). This is what lets the
// rules report `NonPagedPool` as a value and stay silent on comparisons,
// SAL annotations and declarations (issue 5 item 4), without a C++ parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "pp/ptoken.h"
#include "scan/vocabulary.h"

namespace nxpool::scan {

struct Site {
  std::uint32_t idx = 0;
  Word word = Word::None;
  std::string_view function;     // enclosing function ("" at file or class scope)
  bool file_scope = false;       // not inside any function body
  bool in_enum = false;
  bool enumerator_init = false;  // `X = <here>` inside an enum
  bool enumerator_decl = false;  // the enumerator's own name
  bool case_label = false;
  bool in_sal = false;           // inside _When_(...), __drv_*(...), _Analysis_assume_(...) ...
  bool static_decl = false;      // statement has `static`
  bool constexpr_decl = false;   // constexpr / constinit / static_assert
  bool inline_decl = false;      // statement has `inline`
  bool in_class = false;         // directly in a struct/class/union body
  bool initializer = false;      // after a top-level `=` in its statement
  bool template_arg = false;     // Foo<NonPagedPool>
  bool member = false;           // x.Name, p->Name, T::Name
  bool declaration = false;      // `TYPE Name` (a variable or field that happens to have the name)
  bool comparison = false;       // ==, !=, <, >, <=, >= on either side
  bool bit_test = false;         // binary & on either side
  bool is_call = false;          // followed by '('
};

struct Call {
  std::uint32_t name = 0;
  std::uint32_t open = 0;
  std::uint32_t close = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> args;  // [begin, end) token ranges
};

struct CodeStructure {
  std::vector<Site> sites;  // every token with a relevant word, in order
  std::vector<Call> calls;  // every call of an API word, in order of the name token
};

CodeStructure analyze_structure(const std::vector<pp::PToken>& code);

// True for SAL annotation and attribute names (_When_, __drv_aliasesMem,
// _Analysis_assume_, __declspec, __attribute__ ...).
bool is_annotation_name(std::string_view s);

}  // namespace nxpool::scan
