// Pieces of the SARIF writer kept out of sarif_report.cpp (internal).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nxpool::report::sarif {

// versionControlProvenance for a git checkout at `root` (repositoryUri,
// revisionId, branch, mappedTo %SRCROOT%), or an empty array when `root`
// is not a git checkout or git is not installed.
nlohmann::ordered_json version_control(const std::string& root);

// RFC 3986 path encoding ('/' kept) and a file:/// URI for an absolute path.
std::string uri_encode(const std::string& path);
std::string file_uri(const std::string& absolute_path);

}  // namespace nxpool::report::sarif
