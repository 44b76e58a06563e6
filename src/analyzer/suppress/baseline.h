// The baseline file: findings accepted as they are, matched by fingerprint
// (fingerprint.h), never by line number. Format (JSON, documented in
// docs/ci.md):
//
//   {
//     "nxpoolBaseline": 1,
//     "findings": [
//       {"fingerprint": "9f3c0a1b2c3d4e5f:1", "rule": "NX2001",
//        "path": "drivers/net/drv.c", "line": 4, "message": "..."}
//     ]
//   }
//
// Only "fingerprint" is matched; rule, path, line and message are there for
// people reading a diff of the file. One entry per site, sorted by path,
// line and rule so the file diffs well. Tested by tests/cli/baseline_test.cpp.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "scan/finding.h"

namespace nxpool::suppress {

// Writes the sites of the unsuppressed `findings` (fingerprints assigned) to
// `path`; returns the number of entries, or -1 with `error` set.
int write_baseline(const std::string& path, const std::vector<scan::Finding>& findings, std::string& error);

// The fingerprints in `path`; a problem is added to `diags` (file:line:col).
std::set<std::string> read_baseline(const std::string& path, std::vector<model::InputDiagnostic>& diags);

}  // namespace nxpool::suppress
