// Pieces of the SARIF writer kept out of sarif_report.cpp (internal).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "report/report.h"

namespace nxpool::report::sarif {

// versionControlProvenance for a git checkout at `root` (repositoryUri,
// revisionId, branch, mappedTo %SRCROOT%), or an empty array when `root`
// is not a git checkout or git is not installed.
nlohmann::ordered_json version_control(const std::string& root);

// RFC 3986 path encoding ('/' kept) and a file:/// URI for an absolute path.
std::string uri_encode(const std::string& path);
std::string file_uri(const std::string& absolute_path);

// 1-based byte column -> 1-based Unicode code point column on `line`
// (continuation bytes of UTF-8 do not count; past the end, bytes do).
std::uint32_t code_point_column(const std::string& line, std::uint32_t byte_col);

// A result's `fixes` entry: the site's replacements on `artifact`, with
// code point columns (sarif_fixes.cpp).
nlohmann::ordered_json fix_json(const SiteFix& fix, const nlohmann::ordered_json& artifact);

}  // namespace nxpool::report::sarif
