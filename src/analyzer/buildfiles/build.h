// Build readers: turn the build files a driver tree already has into the
// compile units the scanner analyses (see model/compile_unit.h).
//
//   compile_commands.json  -> load_compile_commands()
//   .sln / .vcxproj        -> read_project()   (MSBuild evaluation, per configuration)
//   dirs / sources         -> read_project()   (WDK build.exe nmake syntax)
//   a whole tree           -> discover()
//
// Contract shared by every entry point:
//   * Never throws for bad input. Every problem becomes a model::InputDiagnostic
//     positioned at file:line:col, and the reader goes on with everything else.
//   * What is skipped on error (documented in README.md next to this file):
//       - a build file that cannot be read or parsed (malformed XML, bad JSON,
//         a `sources` syntax error): that file's project/entries are skipped;
//       - a missing or malformed import, an undefined property in an import
//         path: the project is still read without that import (degraded), and
//         the error says so;
//       - an unsupported MSBuild construct: a warning, evaluation continues as if
//         the construct were absent.
//   * Paths in the result are absolute and use '/'; Windows spellings in the
//     build files ('\', any letter case) are resolved against the disk.
//   * Output order is deterministic (sorted discovery, document order inside).
//   * Not thread-safe per call; separate calls share nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../model/compile_unit.h"

namespace nxpool::buildfiles {

struct ReadOptions {
  // "Release|x64" entries (--config, repeatable). Empty = every configuration
  // the project declares. Matching ignores case and treats x86 and Win32 as the
  // same platform; for `sources` trees "fre"/"chk" match "Release"/"Debug".
  std::vector<std::string> configs;
  // --solution-dir: $(SolutionDir) for projects not reached through a .sln.
  std::optional<std::string> solution_dir;
  // Read confinement (docs/security.md). Build files may read, list and test
  // only inside the entry's directory (discover's tree, a project's or
  // solution's directory) and these directories (--allow-read, the scanned
  // paths). confine = false reads anywhere (library tests of whole trees).
  std::vector<std::string> allow_read;
  bool confine = true;
  // Environment variables readable through $(NAME) (--allow-env); none by default.
  std::vector<std::string> allow_env;
};

// Largest build file any reader opens, in bytes (default 64 MiB; --max-file-size).
void set_max_build_file_size(std::uint64_t bytes);

// A compile_commands.json file, or a directory that contains one.
model::BuildModel load_compile_commands(const std::string& file_or_dir);

// One build file: .sln, .vcxproj (plus the projects it references),
// a WDK `dirs` or `sources` file, or a compile_commands.json.
model::BuildModel read_project(const std::string& file, const ReadOptions& options);

// Every build file under `dir`: .sln files first (their projects get the
// solution's $(SolutionDir)), then .vcxproj files no solution lists, then
// WDK dirs/sources trees, then compile_commands.json files.
model::BuildModel discover(const std::string& dir, const ReadOptions& options);

}  // namespace nxpool::buildfiles
