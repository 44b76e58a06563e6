// `nxpool scan`: assemble the build model (build files when the build
// readers are compiled in, else loose files only), scan, and write the
// report atomically (to FILE.tmp, then rename) so -o never leaves a
// half-written file.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/scan_policy.h"
#include "report/report.h"
#include "scan/scanner.h"
#if NXPOOL_HAVE_BUILD_READERS
#include "build.h"
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

int run_scan(const ScanArgs& args) {
  scan::ScanOptions opt;
  opt.paths = args.paths;
  opt.include_dirs = args.include_dirs;
  opt.arch = parse_arch(args.arch);
  opt.hvci = args.hvci;
  opt.kernel_mode = !args.user_mode;
  opt.jobs = args.jobs;
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

  // NXPOOL_PROFILE=1 prints how long each phase took (stderr), for benchmarks.
  bool profile = std::getenv("NXPOOL_PROFILE") != nullptr;
  auto t0 = std::chrono::steady_clock::now();
  auto lap = [&](const char* what) {
    if (!profile) return;
    auto t = std::chrono::steady_clock::now();
    std::fprintf(stderr, "nxpool: %s %.3f s\n", what, std::chrono::duration<double>(t - t0).count());
    t0 = t;
  };
  Policy policy = load_policy(args, opt.paths);
  opt.hvci = policy.hvci;
  model::BuildModel build;
#if NXPOOL_HAVE_BUILD_READERS
  buildfiles::ReadOptions ro;
  ro.configs = policy.configurations;
  ro.solution_dir = args.solution_dir;
  if (args.compile_commands) append(build, buildfiles::load_compile_commands(*args.compile_commands));
  for (const std::string& p : args.project) append(build, buildfiles::read_project(p, ro));
  if (args.compile_commands || !args.project.empty()) {
    // Explicit build files: loose paths only fill in what they do not claim,
    // and when paths are given only the build files' units under them are
    // scanned (`-p build/compile_commands.json src/driver` scans the driver).
    if (!opt.paths.empty()) keep_units_under(build, opt.paths);
  } else {
    for (const std::string& p : opt.paths) {
      std::error_code ec;
      if (std::filesystem::is_directory(p, ec)) append(build, buildfiles::discover(p, ro));
    }
  }
#else
  if (args.compile_commands || !args.project.empty()) {
    std::fprintf(stderr, "nxpool: error: this build has no build-file readers (-p, --project)\n");
    return 2;
  }
#endif

  lap("build files");
  scan::ScanResult result;
  {
    Progress progress("scanning " + std::to_string(build.units.size()) + " build units and " +
                      std::to_string(opt.paths.size()) + " paths");
    result = scan::scan(build, opt);
  }
  lap("scan");
  suppress::FilterStats filtered = apply_policy(result, policy, args);

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
  if (args.output) {
    std::string tmp = *args.output + ".tmp" + std::to_string(getpid());
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) {
        std::fprintf(stderr, "nxpool: error: cannot write %s\n", args.output->c_str());
        return 2;
      }
      report::write_report(out, result, ro2);
      out.flush();
      if (!out) {
        std::fprintf(stderr, "nxpool: error: writing %s failed\n", args.output->c_str());
        std::remove(tmp.c_str());
        return 2;
      }
    }
    if (std::rename(tmp.c_str(), args.output->c_str()) != 0) {
      std::fprintf(stderr, "nxpool: error: cannot write %s\n", args.output->c_str());
      std::remove(tmp.c_str());
      return 2;
    }
  } else {
    report::write_report(std::cout, result, ro2);
    std::cout.flush();
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
