// The `nxpool` subcommands. main.cpp owns argument parsing (CLI11) and turns
// every exception into an exit status; the commands return their status.
#pragma once

#include <optional>
#include <string>
#include <vector>

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
  // Issue 11 (scan_policy.cpp): what the team sees and what fails the build.
  std::optional<std::string> baseline;          // --baseline FILE
  std::optional<std::string> write_baseline;    // --write-baseline FILE
  std::optional<std::string> fail_on;           // --fail-on error|warning|note|never
  std::string color = "auto";                   // --color auto|always|never
};

int run_scan(const ScanArgs& args);
int run_rules(const std::string& format);

}  // namespace nxpool::cli
