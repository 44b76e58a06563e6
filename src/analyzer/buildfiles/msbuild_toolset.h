// Which MSBuild properties belong to the Visual Studio / WDK installation
// (the toolset), which a scanned tree does not have. Used by the evaluator
// to tell an import of the toolset (skipped quietly) from a missing file.
#pragma once

#include <string_view>

namespace nxpool::buildfiles {

// True if `raw` (an unexpanded Import path) names a toolset-only property as
// $(Name), in any case.
bool mentions_toolset_property(std::string_view raw);

}  // namespace nxpool::buildfiles
