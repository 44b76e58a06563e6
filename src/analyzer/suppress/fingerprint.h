// Fingerprints of finding sites, shared by the baseline and SARIF's
// partialFingerprints. A site is (file, line, column, rule): the same
// finding in several configurations or images has one fingerprint.
//
//   fingerprint = hex64(FNV-1a(rule, path relative to the repository root,
//                              the line's text and its nearest non-blank
//                              neighbours above and below, whitespace removed))
//                 + ":" + occurrence index (1, 2, ... among sites of the file
//                 with the same hash, in line order)
//
// No line number and no working directory goes in, so the fingerprint
// survives edits elsewhere in the file and runs from other directories.
// Tested by tests/cli/baseline_test.cpp and tests/cli/sarif_test.cpp.
#pragma once

#include <string>
#include <vector>

#include "scan/finding.h"

namespace nxpool::suppress {

// The repository root for `path` (a file or directory): the nearest
// ancestor with a .git entry, else the directory of the nearest
// .nxpool.toml/.nxpool.yaml, else "". Absolute, no trailing slash.
std::string repo_root_of(const std::string& path);

// `file` relative to `root` ('/'-separated), or "" when it is not under it.
std::string relative_to(const std::string& file, const std::string& root);

// Sets Finding::fingerprint on every finding.
void assign_fingerprints(std::vector<scan::Finding>& findings);

}  // namespace nxpool::suppress
