// Walking a scanned directory for loose sources (issue 10 items 1 and 10).
#pragma once

#include <string>
#include <vector>

#include "model/compile_unit.h"

namespace nxpool::scan {

// The regular files under `root` (unsorted). Hidden directories are
// skipped; a directory that cannot be read is an error with the real reason
// (EACCES …) and the walk goes on; a symbolic link is followed only when it
// stays inside `root`.
void walk_tree(const std::string& root, std::vector<std::string>& found,
               std::vector<model::InputDiagnostic>& diags);

}  // namespace nxpool::scan
