// The parts of `nxpool scan` issue 11 added, kept out of scan_command.cpp:
// the configuration files, the command line's policy flags, the filter
// stage (suppressions, baseline) and the exit status.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"
#include "config/config.h"
#include "report/report.h"
#include "scan/finding.h"
#include "suppress/filter.h"

namespace nxpool::cli {

struct Policy {
  config::Loaded configs;
  config::FailOn fail_on = config::FailOn::Warning;
  bool hvci = false;
  std::vector<std::string> configurations;  // --config, else the config file's
  std::optional<std::string> baseline;      // --baseline, else the config file's
  std::string source_root;                  // git root, else config directory, else ""
  std::string help_uri;
  // Off-by-default rules that run: turned on by the command line (fix
  // --rule), or by `[rules] NXnnnn = "on"` in any config file found, which
  // then keeps them only in the files that config governs.
  std::vector<std::string> enabled_rules;
};

// Reads the config files that govern `paths` (and -p / --project files).
Policy load_policy(const ScanArgs& args, const std::vector<std::string>& paths);

// Adds the config files' diagnostics, then suppressions and the baseline.
suppress::FilterStats apply_policy(scan::ScanResult& r, const Policy& p, const ScanArgs& args);

// Colour for the report stream: --color, NO_COLOR, TERM=dumb, a terminal.
bool use_color(const ScanArgs& args, bool to_terminal);

}  // namespace nxpool::cli
