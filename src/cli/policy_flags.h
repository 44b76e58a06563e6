// The issue 11 flags of `nxpool scan` (baseline, fail-on, colour), defined
// here so main.cpp stays a list of calls.
#pragma once

#include "cli/commands.h"

namespace CLI {
class App;
}

namespace nxpool::cli {

void add_policy_flags(CLI::App& scan, ScanArgs& sa);

}  // namespace nxpool::cli
