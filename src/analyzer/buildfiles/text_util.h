// Small string and position helpers shared by the build readers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../model/compile_unit.h"

namespace nxpool::buildfiles {

// ASCII-only case folding: build files compare names and paths this way
// (MSBuild property names, Windows file names, nmake directives).
char ascii_lower(char c);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);
bool iends_with(std::string_view s, std::string_view suffix);
std::string_view trim(std::string_view s);

// A number as MSBuild conditions and property functions read one: decimal
// (with fraction) or 0x-prefixed hex, surrounding blanks allowed.
bool parse_msbuild_number(std::string_view s, double& out);
std::vector<std::string_view> split(std::string_view s, char sep);

// Dotted version compare: -1, 0, 1 (missing parts count as 0), as MSBuild's
// conditions and [MSBuild]::VersionGreaterThan & co. compare them.
int compare_versions(std::string_view a, std::string_view b);

// Maps byte offsets of one buffer to 1-based line:column.
class LineTable {
 public:
  explicit LineTable(std::string_view text);
  LineTable() = default;
  // Column counts bytes from the line start, 1-based.
  std::pair<int, int> position(size_t offset) const;

 private:
  std::vector<uint32_t> starts_{0};
};

// Reads a whole build file. Only a regular file of at most
// max_build_file_size() bytes is read (a FIFO, a device or /dev/zero behind a
// symlink is refused before any read, never waited on). Returns false, leaves
// `out` empty and, when `why` is given, says why ("not a regular file", the
// errno text …).
bool read_text_file(const std::string& path, std::string& out, std::string* why = nullptr);
// Size limit for build files (default 64 MiB; `--max-file-size`).
std::uint64_t max_build_file_size();
void set_max_build_file_size(std::uint64_t bytes);

// Converts a UTF-16LE/BE buffer with a BOM to UTF-8 and strips a UTF-8 BOM;
// anything else is returned unchanged. Response files and some .sln files are
// UTF-16.
std::string decode_text(std::string raw);

model::InputDiagnostic make_diag(model::Severity severity, const model::SourceLoc& loc,
                                 std::string message);

}  // namespace nxpool::buildfiles
