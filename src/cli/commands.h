// The `nxpool` subcommands. main.cpp owns argument parsing (CLI11) and turns
// every exception into an exit status; the commands return their status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nxpool::scan {
struct ScanResult;
}

namespace nxpool::suppress {
struct FilterStats;
}

namespace nxpool::cli {

struct ScanArgs {
  std::vector<std::string> paths;
  std::optional<std::string> compile_commands;  // -p
  std::vector<std::string> project;             // --project
  std::vector<std::string> defines;             // -D NAME[=VALUE]
  std::vector<std::string> undefines;           // -U NAME
  std::vector<std::string> include_dirs;        // -I
  std::vector<std::string> configs;             // --config
  std::optional<std::string> solution_dir;      // --solution-dir
  std::string arch = "x64";
  std::string format = "text";
  bool modes = false;
  bool hvci = false;
  bool user_mode = false;
  unsigned jobs = 0;
  std::optional<std::string> output;            // -o
  std::vector<std::string> argv_defines_order;  // -D/-U in command-line order ("D:..." / "U:...")
  // Hostile input (docs/security.md): what build files may read beyond the
  // scanned paths, which environment variables $(NAME) may see, file size limit.
  std::vector<std::string> allow_read;          // --allow-read DIR
  std::vector<std::string> allow_env;           // --allow-env NAME
  std::uint64_t max_file_size = 64u << 20;      // --max-file-size BYTES
  // Issue 11 (scan_policy.cpp): what the team sees and what fails the build.
  std::optional<std::string> baseline;          // --baseline FILE
  std::optional<std::string> write_baseline;    // --write-baseline FILE
  std::optional<std::string> fail_on;           // --fail-on error|warning|note|never
  std::string color = "auto";                   // --color auto|always|never
  std::vector<std::string> enabled_rules;       // off-by-default rules turned on (fix --rule NX3004)
};

int run_scan(const ScanArgs& args);

// Builds the model from the scan flags and scans it (shared by scan and
// fix). Returns 0, or 2 for a usage error already reported on stderr.
// The config files and command-line policy are loaded and applied here too
// (suppressions, baseline, excludes), so both commands see the same findings.
struct Policy;
int build_and_scan(const ScanArgs& args, scan::ScanResult& result, Policy& policy,
                   suppress::FilterStats& filtered);

struct FixArgs {
  ScanArgs scan;
  bool dry_run = false;
  std::vector<std::string> rules;    // --rule NXnnnn
  std::string strategy = "nx";       // nx | explicit
  std::string opt_in;                // --opt-in auto|optin ("" = no build-file edits)
  bool keep_optout = false;          // --keep-optout (with --strategy explicit)
};
int run_fix(const FixArgs& args);
int run_rules(const std::string& format);

}  // namespace nxpool::cli
