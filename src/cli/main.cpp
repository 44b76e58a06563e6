// nxpool command line: flag definitions and dispatch. Library code returns
// results; exceptions only reach this file, which maps them to exit status 2.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/policy_flags.h"

namespace nxpool::cli {
CLI::App* add_fix_command(CLI::App& app, FixArgs& fa);  // fix_command.cpp
}

namespace {

constexpr const char* kExitCodes =
    "Exit status:\n"
    "  0  no warning or error finding\n"
    "  1  at least one unsuppressed finding at or above --fail-on (default: warning; notes do not count)\n"
    "  2  usage error, or an input that could not be read (everything readable is still scanned)\n";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"nxpool: find which C/C++ driver files are really NX-pool opted in, and every allocation or mapping "
               "that stays executable.",
               "nxpool"};
  app.set_version_flag("-V,--version", "nxpool " NXPOOL_VERSION);
  app.require_subcommand(1);
  // `nxpool help [COMMAND]`: what `git help` users type first.
  std::string help_topic;
  CLI::App* help = app.add_subcommand("help", "Show this help, or a command's (nxpool help scan)");
  help->add_option("command", help_topic, "A command to show the help of");
  app.footer(kExitCodes);

  nxpool::cli::ScanArgs sa;
  CLI::App* scan = app.add_subcommand("scan", "Scan sources (files and directories) and report NX findings");
  scan->add_option("paths", sa.paths, "Source files and directories (default: the current directory). C/C++ by "
                                      "extension: .c .cc .cpp .cxx; headers .h .hpp .inl are scanned alone only when no "
                                      "scanned file includes them. Build files found in a directory (.sln, .vcxproj, "
                                      "dirs/sources, compile_commands.json) are read unless -p or --project is given");
  scan->add_option("-p,--compile-commands", sa.compile_commands,
                   "compile_commands.json, or the directory that contains it; every entry's -D/-U/-I (GCC or MSVC "
                   "spelling, response files) is honoured");
  // One value per occurrence: `--config X driver/` scans driver/ (issue 9 item 9).
  scan->add_option("--project", sa.project, "A build file to read (.sln, .vcxproj, WDK dirs/sources); repeatable")
      ->allow_extra_args(false);
  scan->add_option("--config", sa.configs, "Configuration to analyse, e.g. \"Release|x64\" (repeatable; default all); "
                                           "one that no project has is an error listing those there are")
      ->allow_extra_args(false);
  scan->add_option("--solution-dir", sa.solution_dir, "$(SolutionDir) for projects not reached through a .sln");
  scan->add_option_function<std::vector<std::string>>(
          "-D,--define",
          [&](const std::vector<std::string>& v) {
            for (const auto& d : v) sa.argv_defines_order.push_back("D:" + d);
          },
          "Define NAME (=1) or NAME=VALUE for files without a compile command")
      ->type_name("NAME[=VALUE]")
      ->allow_extra_args(false);
  scan->add_option_function<std::vector<std::string>>(
          "-U,--undefine",
          [&](const std::vector<std::string>& v) {
            for (const auto& d : v) sa.argv_defines_order.push_back("U:" + d);
          },
          "Undefine NAME for files without a compile command")
      ->type_name("NAME")
      ->allow_extra_args(false);
  scan->add_option("-I,--include-dir", sa.include_dirs, "Include directory for files without a compile command")
      ->allow_extra_args(false);
  scan->add_option("--arch", sa.arch, "Target architecture for files whose build does not say (default x64); on arm "
                                      "and arm64 the header forces POOL_NX_OPTIN_AUTO")
      ->check(CLI::IsMember({"x86", "x64", "arm", "arm64"}));
  scan->add_option("--format", sa.format, "Output format: text (gcc-style, default), msvc (absolute paths, for Visual "
                                          "Studio and $msCompile), github (workflow annotations), json (JSON Lines), "
                                          "sarif")
      ->check(CLI::IsMember({"text", "msvc", "github", "json", "sarif"}));
  nxpool::cli::add_policy_flags(*scan, sa);
  scan->add_flag("--modes", sa.modes, "Print the per-file mode table (file, configuration, arch, mode, where it comes "
                                      "from) instead of the findings (text and msvc formats; json always has unit "
                                      "records)");
  scan->add_flag("--hvci", sa.hvci, "Treat every executable site (NX2001-NX2005) as an error");
  scan->add_flag("--user-mode", sa.user_mode, "Loose files are not kernel-mode builds (_KERNEL_MODE not predefined)");
  scan->add_option("-j,--jobs", sa.jobs, "Worker threads (default: one per core); output does not depend on it");
  scan->add_option("-o,--output", sa.output, "Write the report to FILE instead of standard output");
  // Hostile input (docs/security.md).
  scan->add_option("--allow-read", sa.allow_read, "A directory outside the scanned paths that build files may read "
                                                  "(imports, property functions); repeatable")
      ->allow_extra_args(false);
  scan->add_option("--allow-env", sa.allow_env, "An environment variable build files may read as $(NAME); "
                                                "repeatable (none by default)")
      ->allow_extra_args(false);
  scan->add_option("--max-file-size", sa.max_file_size, "Largest build file read, in bytes (default 64 MiB)");
  scan->footer(kExitCodes);

  nxpool::cli::FixArgs fa;
  CLI::App* fix = nxpool::cli::add_fix_command(app, fa);

  std::string rules_format = "text";
  CLI::App* rules = app.add_subcommand("rules", "List every rule with its id, default severity and summary");
  rules->add_option("--format", rules_format, "text or json")->check(CLI::IsMember({"text", "json"}));

  if (argc > 1 && argv[1][0] != '-') {  // name the word CLI11 would only call "extra"
    std::string names;
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      known = known || sub->get_name() == argv[1];
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      std::fprintf(stderr, "nxpool: error: unknown command '%s' (commands: %s; see nxpool help)\n", argv[1],
                   names.c_str());
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  if (help->parsed()) {
    if (help_topic.empty()) {
      // app.help() would describe the selected subcommand, `help` itself.
      std::cout << app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal);
      return 0;
    }
    for (CLI::App* sub : app.get_subcommands({}))
      if (sub->get_name() == help_topic && sub != help) {
        std::cout << sub->help(app.get_name());
        return 0;
      }
    std::fprintf(stderr, "nxpool: error: no command named '%s' (commands: scan, rules, help)\n", help_topic.c_str());
    return 2;
  }
  try {
    if (scan->parsed()) return nxpool::cli::run_scan(sa);
    if (fix->parsed()) return nxpool::cli::run_fix(fa);
    if (rules->parsed()) return nxpool::cli::run_rules(rules_format);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nxpool: error: %s\n", e.what());
    return 2;
  }
  return 2;
}
