// Compiler command lines (GCC/Clang and MSVC spellings) -> CompileUnit fields.
//
// Used by the compile_commands.json loader and by the WDK `sources` reader
// (C_DEFINES / USER_C_FLAGS are command-line fragments). Every argument carries
// the position that wrote it, so a definition's origin survives the trip.
//
// Recognised: -D/-U/-I (joined or split), /D /U /I, -include FILE, /FI,
// -isystem/-iquote/-idirafter, /external:I, @response-file (relative to the
// working directory, UTF-16 or UTF-8, nested up to 8 deep), /kernel, /TP /TC,
// -x c/c++, --target=<triple>, and MSVC `NAME#VALUE`. Everything else is ignored:
// it does not change which macros the NX header sees.
//
// Tested by tests/buildfiles/compiler_args_test.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "../model/compile_unit.h"

namespace nxpool::buildfiles {

class FileSystem;

struct Arg {
  std::string text;
  model::SourceLoc loc;
};

enum class QuoteStyle { Posix, Windows };

// Splits a command string the way the shell that will run it would.
std::vector<std::string> split_command(std::string_view command, QuoteStyle style);
// Windows when the compiler is cl/clang-cl or the command starts with a drive path.
QuoteStyle guess_quote_style(std::string_view command);

// Applies `args` (without argv[0]) to `unit`. Relative -I/-include/@file paths
// are taken against `directory`. Problems (unreadable response file, -D with
// no name) go to `diags`.
void apply_compiler_args(const std::vector<Arg>& args, const std::string& directory,
                         QuoteStyle style, FileSystem& fs, model::CompileUnit& unit,
                         std::vector<model::InputDiagnostic>& diags);

// "NAME", "NAME=V" (or MSVC "NAME#V") -> Definition. Returns false for an empty name.
bool parse_definition_text(std::string_view text, bool msvc, model::Definition& out);

// Architecture implied by a compiler path (…\bin\Hostx64\arm64\cl.exe) or
// a --target triple; Unknown when neither says.
model::Arch arch_from_compiler_path(std::string_view compiler);
model::Arch arch_from_triple(std::string_view triple);

}  // namespace nxpool::buildfiles
