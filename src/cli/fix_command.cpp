// `nxpool fix`: scan exactly as `nxpool scan` does, plan the fixes, then
// either print them as a `git apply`-able diff (--dry-run) or write each
// changed file atomically. Notes about sites left alone go to stderr, so
// the diff on stdout stays clean.
#include <cstdio>
#include <iostream>
#include <set>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/scan_policy.h"
#include "fix/atomic_write.h"
#include "fix/fix.h"
#include "fix/opt_in.h"
#include "rules/registry.h"
#include "scan/finding.h"

namespace nxpool::cli {

CLI::App* add_fix_command(CLI::App& app, FixArgs& fa) {
  ScanArgs& sa = fa.scan;
  CLI::App* fix = app.add_subcommand("fix", "Apply the safe fixes for the findings of a scan (same inputs as scan)");
  fix->add_option("paths", sa.paths, "Source files and directories, as for scan (default: the current directory)");
  fix->add_option("-p,--compile-commands", sa.compile_commands, "compile_commands.json, or its directory");
  fix->add_option("--project", sa.project, "A build file to read (.sln, .vcxproj, WDK dirs/sources); repeatable");
  fix->add_option("--config", sa.configs, "Configuration to analyse (repeatable; default all)");
  fix->add_option("--solution-dir", sa.solution_dir, "$(SolutionDir) for projects not reached through a .sln");
  fix->add_option_function<std::vector<std::string>>(
         "-D,--define", [&](const std::vector<std::string>& v) { for (const auto& d : v) sa.argv_defines_order.push_back("D:" + d); },
         "Define NAME (=1) or NAME=VALUE for files without a compile command")
      ->type_name("NAME[=VALUE]")
      ->allow_extra_args(false);
  fix->add_option_function<std::vector<std::string>>(
         "-U,--undefine", [&](const std::vector<std::string>& v) { for (const auto& d : v) sa.argv_defines_order.push_back("U:" + d); },
         "Undefine NAME for files without a compile command")
      ->type_name("NAME")
      ->allow_extra_args(false);
  fix->add_option("-I,--include-dir", sa.include_dirs, "Include directory for files without a compile command")
      ->allow_extra_args(false);
  fix->add_option("--arch", sa.arch, "Target architecture for files whose build does not say (default x64)")
      ->check(CLI::IsMember({"x86", "x64", "arm", "arm64"}));
  fix->add_flag("--user-mode", sa.user_mode, "Loose files are not kernel-mode builds");
  fix->add_option("-j,--jobs", sa.jobs, "Worker threads for the scan (default: one per core)");
  fix->add_flag("--dry-run", fa.dry_run, "Change nothing; print the edits as a unified diff that `git apply` applies");
  fix->add_option("--rule", fa.rules, "Only fix this rule (repeatable), e.g. --rule NX3001; "
                                         "--rule NX3004 also turns that off-by-default rule on")->allow_extra_args(false);
  fix->add_option("--strategy", fa.strategy, "nx (default): make executable pool NX; explicit: in opted-out files "
                                             "name executable pool NonPagedPoolExecute")
      ->check(CLI::IsMember({"nx", "explicit"}));
  fix->add_flag("--keep-optout", fa.keep_optout, "With --strategy explicit: keep #define POOL_NX_OPTOUT 1 even "
                                               "where every executable request is now named (default: drop it)");
  fix->add_option("--opt-in", fa.opt_in, "Also opt the projects in where their definitions are written: auto "
                                         "(POOL_NX_OPTIN_AUTO=1) or optin (POOL_NX_OPTIN=1 and "
                                         "ExInitializeDriverRuntime(DrvRtPoolNxOptIn) first in DriverEntry)")
      ->check(CLI::IsMember({"auto", "optin"}));
  fix->footer("Exit status:\n  0  every planned fix was applied (or printed)\n"
              "  2  usage error, an unreadable input, or a file that changed while fixing (not written)\n");
  return fix;
}

int run_fix(const FixArgs& args) {
  fix::FixOptions opt;
  for (const std::string& r : args.rules) {
    if (!fix::has_fix(r)) {
      std::fprintf(stderr, "nxpool: error: --rule %s: no fix for this rule\n", r.c_str());
      return 2;
    }
    opt.rules.insert(r);
  }
  opt.strategy = args.strategy == "explicit" ? fix::Strategy::Explicit : fix::Strategy::Nx;
  opt.keep_optout = args.keep_optout;
  // --rule of a rule that is off by default (NX3004) turns it on for this scan.
  ScanArgs scan_args = args.scan;
  for (const std::string& r : args.rules) {
    const rules::RuleInfo* info = rules::find_rule(r);
    if (info && info->off_by_default) scan_args.enabled_rules.push_back(r);
  }
  scan::ScanResult result;
  Policy policy;
  suppress::FilterStats filtered;
  if (int rc = build_and_scan(scan_args, result, policy, filtered)) return rc;
  int status = 0;
  for (const model::InputDiagnostic& d : result.diagnostics) {
    if (d.severity != model::Severity::Error) continue;
    std::fprintf(stderr, "%s:%d:%d: error: %s\n", d.loc.file.c_str(), d.loc.line, d.loc.column, d.message.c_str());
    status = 2;
  }
  // A finding the team suppressed in source is meant as written: not fixed.
  std::erase_if(result.findings, [](const scan::Finding& f) { return f.suppressed; });
  fix::FixPlan plan = fix::plan_fixes(result, opt);
  if (!args.opt_in.empty())
    fix::plan_opt_in(result, args.opt_in == "auto" ? fix::OptIn::Auto : fix::OptIn::OptIn, plan);
  for (const fix::Skipped& e : plan.errors) {
    std::fprintf(stderr, "%s: error: %s\n", e.file.c_str(), e.reason.c_str());
    status = 2;
  }
  for (const fix::Skipped& s : plan.skipped)
    std::fprintf(stderr, "%s:%u:%u: note: %s not fixed: %s\n", s.file.c_str(), s.line, s.column, s.rule.c_str(),
                 s.reason.c_str());
  std::size_t written = 0;
  if (args.dry_run) {
    std::cout << fix::plan_diff(plan);
    std::cout.flush();
  } else {
    for (const auto& [file, fp] : plan.files) {
      fix::WriteResult w = fix::replace_file(file, fp.source.bytes, fp.new_bytes, fp.source.mode);
      if (w.status == fix::WriteStatus::Written) {
        ++written;
        continue;
      }
      std::fprintf(stderr, "%s: error: %s\n", file.c_str(), w.message.c_str());
      status = 2;
    }
  }
  std::string per_rule;
  std::size_t total = 0;
  for (const auto& [rule, n] : plan.fixed_sites) {
    per_rule += fmt::format("{}{} {}", per_rule.empty() ? "" : ", ", rule, n);
    total += n;
  }
  std::fprintf(stderr, "nxpool fix: %zu site%s %s in %zu file%s%s; %zu left alone\n", total, total == 1 ? "" : "s",
               args.dry_run ? "would be fixed" : "fixed", args.dry_run ? plan.files.size() : written,
               plan.files.size() == 1 ? "" : "s", per_rule.empty() ? "" : (" (" + per_rule + ")").c_str(),
               plan.skipped.size());
  return status;
}

}  // namespace nxpool::cli
