// `nxpool scan`: assemble the build model (build files when the build
// readers are compiled in, else loose files only), scan, and write the
// report (cli/output_file.h: -o never leaves a half-written file, never
// replaces a device, and a write error is exit 2).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <fstream>
#include <functional>
#include <set>
#include <iostream>

#include "binary/binary_scan.h"
#include "cli/commands.h"
#include "cli/output_file.h"
#include "cli/progress.h"
#include "cli/scan_policy.h"
#include "fix/fix.h"
#include "report/report.h"
#include "scan/scanner.h"
#if NXPOOL_HAVE_BUILD_READERS
#include "build.h"
#include "sln.h"
#endif

namespace nxpool::cli {
namespace {

model::Arch parse_arch(const std::string& a) {
  if (a == "x86") return model::Arch::X86;
  if (a == "arm") return model::Arch::Arm;
  if (a == "arm64") return model::Arch::Arm64;
  return model::Arch::X64;
}

void append(model::BuildModel& into, model::BuildModel&& from) {
  for (auto& x : from.images) into.images.push_back(std::move(x));
  for (auto& x : from.units) into.units.push_back(std::move(x));
  for (auto& x : from.diagnostics) into.diagnostics.push_back(std::move(x));
}

// Peak resident set so far (VmHWM, KiB; 0 where /proc is missing), printed
// with each NXPOOL_PROFILE phase so a benchmark sees which phase sets it.
long peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return 0;
}

}  // namespace


// Drops the units whose source is not one of `paths` or inside one of them
// (paths compared after making both absolute and lexically normal).
static void keep_units_under(model::BuildModel& build, const std::vector<std::string>& paths) {
  std::vector<std::filesystem::path> roots;
  for (const std::string& p : paths) {
    std::error_code ec;
    roots.push_back(std::filesystem::absolute(p, ec).lexically_normal());
  }
  auto under = [&](const std::string& source) {
    std::error_code ec;
    std::filesystem::path f = std::filesystem::absolute(source, ec).lexically_normal();
    for (const auto& r : roots) {
      auto rel = f.lexically_relative(r);
      if (!rel.empty() && *rel.begin() != "..") return true;
    }
    return false;
  };
  std::erase_if(build.units, [&](const model::CompileUnit& u) { return !under(u.source); });
}

#if NXPOOL_HAVE_BUILD_READERS
// --config names that match no image or unit of `build` (issue 9 item 9).
// Each is an error listing the configurations the build files do declare
// (read again without the filter: only on this error path). True if any.
static bool report_unknown_configs(const model::BuildModel& build, const std::vector<std::string>& wanted,
                                   const std::function<model::BuildModel()>& read_all) {
  std::vector<std::string> unknown;
  for (const std::string& w : wanted) {
    bool found = false;
    for (const model::Image& i : build.images) found = found || buildfiles::config_selected({w}, i.config);
    for (const model::CompileUnit& u : build.units) found = found || buildfiles::config_selected({w}, u.config);
    if (!found) unknown.push_back(w);
  }
  if (unknown.empty()) return false;
  std::set<std::string> known;
  model::BuildModel all = read_all();
  for (const model::Image& i : all.images)
    if (!i.config.empty()) known.insert(i.config);
  for (const model::CompileUnit& u : all.units)
    if (!u.config.empty()) known.insert(u.config);
  std::string list;
  for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
  for (const std::string& u : unknown)
    std::fprintf(stderr, "nxpool: error: no project has configuration \"%s\"; %s%s\n", u.c_str(),
                 known.empty() ? "no build file declares any configuration" : "configurations: ", list.c_str());
  return true;
}
#endif

int build_and_scan(const ScanArgs& args, scan::ScanResult& result, Policy& policy,
                   suppress::FilterStats& filtered) {
  scan::ScanOptions opt;
  opt.paths = args.paths;
  opt.include_dirs = args.include_dirs;
  opt.arch = parse_arch(args.arch);
  opt.hvci = args.hvci;
  opt.kernel_mode = !args.user_mode;
  opt.jobs = args.jobs;
  // NXPOOL_NO_SHARE=1 takes the plain path (no work shared across units),
  // for comparing outputs (bench/scan/identity.sh); the output is the same.
  opt.share_work = std::getenv("NXPOOL_NO_SHARE") == nullptr;
  for (const std::string& d : args.argv_defines_order) {
    model::Definition def;
    def.origin.file = "<command line>";
    std::string body = d.substr(2);
    if (d[0] == 'U') {
      def.name = body;
      def.undefine = true;
    } else {
      auto eq = body.find('=');
      def.name = body.substr(0, eq);
      if (eq != std::string::npos) def.value = body.substr(eq + 1);
    }
    if (def.name.empty()) {
      std::fprintf(stderr, "nxpool: error: -%c needs a macro name\n", d[0]);
      return 2;
    }
    opt.definitions.push_back(std::move(def));
  }
  if (opt.paths.empty() && !args.compile_commands && args.project.empty()) opt.paths.push_back(".");
  // PE images (.sys/.dll/.exe, or any file starting "MZ") go to the binary rules.
  std::vector<std::string> image_files;
  opt.paths = binary::take_images(opt.paths, image_files);

  // NXPOOL_PROFILE=1 prints how long each phase took (stderr), for benchmarks.
  bool profile = std::getenv("NXPOOL_PROFILE") != nullptr;
  auto t0 = std::chrono::steady_clock::now();
  auto lap = [&](const char* what) {
    if (!profile) return;
    auto t = std::chrono::steady_clock::now();
    std::fprintf(stderr, "nxpool: %s %.3f s\n", what, std::chrono::duration<double>(t - t0).count());
    std::fprintf(stderr, "nxpool: peak RSS after %s: %ld KiB\n", what, peak_rss_kib());
    t0 = t;
  };
  policy = load_policy(args, opt.paths);
  opt.hvci = policy.hvci;
  opt.enabled_rules = policy.enabled_rules;
  model::BuildModel build;
#if NXPOOL_HAVE_BUILD_READERS
  buildfiles::ReadOptions ro;
  ro.configs = policy.configurations;
  ro.solution_dir = args.solution_dir;
  // Read confinement: the scanned paths and --allow-read (docs/security.md).
  ro.allow_read = args.allow_read;
  for (const std::string& p : opt.paths) ro.allow_read.push_back(p);
  ro.allow_env = args.allow_env;
  buildfiles::set_max_build_file_size(args.max_file_size);
  auto read_build_files = [&](const buildfiles::ReadOptions& o) {
    model::BuildModel b;
    for (const std::string& p : args.project) append(b, buildfiles::read_project(p, o));
    if (!args.compile_commands && args.project.empty())
      for (const std::string& p : opt.paths) {
        std::error_code ec;
        if (std::filesystem::is_directory(p, ec)) append(b, buildfiles::discover(p, o));
      }
    return b;
  };
  if (args.compile_commands) append(build, buildfiles::load_compile_commands(*args.compile_commands));
  append(build, read_build_files(ro));
  if (!args.configs.empty()) {
    buildfiles::ReadOptions every = ro;
    every.configs.clear();
    if (report_unknown_configs(build, args.configs, [&] { return read_build_files(every); })) return 2;
  }
  if (args.compile_commands || !args.project.empty()) {
    // Explicit build files: loose paths only fill in what they do not claim,
    // and when paths are given only the build files' units under them are
    // scanned (`-p build/compile_commands.json src/driver` scans the driver).
    if (!opt.paths.empty()) keep_units_under(build, opt.paths);
  } else {
    // A compile_commands.json found in the tree contributes only sources
    // under the scanned paths (issue 10 item 4).
    keep_units_under(build, opt.paths);
  }
#else
  if (args.compile_commands || !args.project.empty()) {
    std::fprintf(stderr, "nxpool: error: this build has no build-file readers (-p, --project)\n");
    return 2;
  }
#endif

  lap("build files");
  {
    Progress progress("scanning " + std::to_string(build.units.size()) + " build units and " +
                      std::to_string(opt.paths.size()) + " paths");
    result = scan::scan(std::move(build), opt);
    binary::scan_images(image_files, binary::BinaryOptions{opt.hvci}, result);
  }
  lap("scan");
  // Config diagnostics, excludes, rule settings, suppressions, the baseline:
  // one stage on the findings before anything uses them (scan and fix alike).
  filtered = apply_policy(result, policy, args);
  return 0;
}

int run_scan(const ScanArgs& args) {
  scan::ScanResult result;
  Policy policy;
  suppress::FilterStats filtered;
  if (int rc = build_and_scan(args, result, policy, filtered)) return rc;
  auto t0 = std::chrono::steady_clock::now();
  bool profile = std::getenv("NXPOOL_PROFILE") != nullptr;
  auto lap = [&](const char* what) {
    if (!profile) return;
    auto t = std::chrono::steady_clock::now();
    std::fprintf(stderr, "nxpool: %s %.3f s\n", what, std::chrono::duration<double>(t - t0).count());
    std::fprintf(stderr, "nxpool: peak RSS after %s: %ld KiB\n", what, peak_rss_kib());
  };

  report::ReportOptions ro2;
  ro2.format = args.format == "msvc"    ? report::Format::Msvc
               : args.format == "json"  ? report::Format::Json
               : args.format == "sarif" ? report::Format::Sarif
               : args.format == "github" ? report::Format::Github
                                        : report::Format::Text;
  ro2.modes = args.modes;
  ro2.source_context = !args.output && isatty(STDOUT_FILENO);
  ro2.color = use_color(args, !args.output && isatty(STDOUT_FILENO));
  ro2.summary = !args.modes && ro2.format == report::Format::Text;
  ro2.baselined = filtered.baselined;
  ro2.source_root = policy.source_root;
  ro2.help_uri = policy.help_uri;
  ro2.diagnostics = &std::cerr;
  // SARIF carries the edits `nxpool fix` would make (same plan, same
  // exclusions: a finding suppressed in source is not fixed).
  std::vector<report::SiteFix> fixes;
  if (ro2.format == report::Format::Sarif) {
    scan::ScanResult unsuppressed = result;
    std::erase_if(unsuppressed.findings, [](const scan::Finding& f) { return f.suppressed; });
    fixes = fix::site_fixes(fix::plan_fixes(unsuppressed, fix::FixOptions{}));
    ro2.fixes = &fixes;
  }
  std::ostringstream text;
  report::write_report(text, result, ro2);
  std::string error;
  bool written = args.output ? write_output_file(*args.output, text.view(), error) : write_stdout(text.view(), error);
  if (!written) {
    std::fprintf(stderr, "nxpool: error: %s\n", error.c_str());
    return 2;
  }
  lap("report");
  if (!args.modes && ro2.format != report::Format::Text && ro2.format != report::Format::Json &&
      ro2.format != report::Format::Sarif)
    std::cerr << report::summary_line(result, filtered.baselined) << "\n";
  int status = suppress::exit_status(result, policy.fail_on);
  // --modes asks for the table, not a verdict: only an input error fails it.
  if (args.modes && status == 1) status = 0;
  return status;
}

}  // namespace nxpool::cli
