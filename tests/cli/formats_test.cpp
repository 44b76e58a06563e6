// Issue 11 items 5-6: formats people read (colour, summary, msvc, github),
// input errors on stderr, unknown words named, --modes exit status.
#include <gtest/gtest.h>

#include <regex>

#include "cli_run.h"

namespace nxpool::clitest {
namespace {

// NX2001 (warning) at 4:39 and NX2002 (note) at 5:37.
const std::string kDriver = "#include <ntddk.h>\nvoid f(void)\n{\n" + alloc("a") +
                            "    PVOID x = ExAllocatePoolWithTag(NonPagedPoolExecute, 64, 'gaT2');\n}\n";

TEST(Formats, MsvcHasAbsolutePathsAndACodeOnEveryLine) {
  TempDir d;
  d.write("src/drv.c", kDriver);
  CliRun m = run(d.path(), "scan --format msvc src missing.c");
  std::string abs = d.path() + "/src/drv.c";
  EXPECT_NE(m.out.find(abs + "(4,39): warning NX2001: "), std::string::npos) << m.out;
  EXPECT_NE(m.out.find(abs + "(5,37): info NX2002: "), std::string::npos) << m.out;
  // Every line matches VS Code's $msCompile pattern (severity error|warning|info, a code).
  std::regex ms(R"(^(\S.*?)\((\d+|\d+,\d+)\)\s*:\s+(error|warning|info)\s+(\w+\d+)\s*:\s*(.*)$)");
  std::istringstream is(m.out + m.err);
  std::string line;
  int n = 0;
  while (std::getline(is, line)) {
    if (line.find("missing.c") == std::string::npos && line.find("(") == std::string::npos) continue;  // summary
    if (line.find("missing.c") != std::string::npos) {
      EXPECT_NE(line.find(d.path() + "/missing.c: error NX0000: "), std::string::npos) << line;
      continue;
    }
    EXPECT_TRUE(std::regex_match(line, ms)) << line;
    ++n;
  }
  EXPECT_EQ(n, 2);
}

TEST(Formats, GithubWorkflowCommands) {
  TempDir d;
  d.write(".git/HEAD", "ref: refs/heads/main\n");
  d.write("src/drv.c", kDriver);
  CliRun g = run(d.path() + "/src", "scan --format github .");
  EXPECT_EQ(g.status, 1);
  EXPECT_TRUE(std::regex_search(g.out, std::regex(R"(^::warning file=src/drv\.c,line=4,col=39,endColumn=51,title=NX2001::'NonPagedPool')",
                                                  std::regex::multiline)))
      << g.out;
  EXPECT_TRUE(std::regex_search(g.out, std::regex(R"(^::notice file=src/drv\.c,line=5,col=37,.*title=NX2002::)",
                                                  std::regex::multiline)))
      << g.out;
}

TEST(Formats, ClosingSummaryLine) {
  TempDir d;
  d.write("a.c", kDriver);
  d.write("b.c", "#include <ntddk.h>\nvoid g(void)\n{\n#pragma warning(suppress: 30030)\n" + alloc("s") + "}\n");
  CliRun t = run(d.path(), "scan a.c b.c");
  std::string last = t.out.substr(t.out.rfind('\n', t.out.size() - 2) + 1);
  EXPECT_EQ(last, "1 warning, 1 note in 1 file; 2 units; 1 suppressed\n") << t.out;
  EXPECT_EQ(run(d.path(), "scan b.c").out, "no findings; 1 unit; 1 suppressed\n");
}

TEST(Formats, ColourOnRequestAndNoColorHonoured) {
  TempDir d;
  d.write("drv.c", kDriver);
  EXPECT_NE(run(d.path(), "scan --color always drv.c").out.find("\033["), std::string::npos);
  EXPECT_EQ(run(d.path(), "scan --color never drv.c").out.find("\033["), std::string::npos);
  EXPECT_EQ(run(d.path(), "scan drv.c").out.find("\033["), std::string::npos);  // auto, not a terminal
  // On a terminal (script(1) gives one): colour unless NO_COLOR is set.
  if (std::system("script --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "script(1) is not installed: no pty";
  auto on_tty = [&](const std::string& env) {
    std::string inner = env + NXPOOL_BIN " scan --format text drv.c";
    return run_shell(d.path(), "script -qec '" + inner + "' /dev/null").out;
  };
  EXPECT_NE(on_tty("").find("\033[1;35mwarning"), std::string::npos);
  EXPECT_EQ(on_tty("NO_COLOR=1 ").find("\033["), std::string::npos);
}

TEST(Formats, InputErrorsGoToStderrInTextFormats) {
  TempDir d;
  d.write("drv.c", kDriver);
  for (const char* fmt : {"text", "msvc", "github"}) {
    CliRun t = run(d.path(), std::string("scan --format ") + fmt + " drv.c missing.c");
    EXPECT_EQ(t.status, 2) << fmt;
    EXPECT_NE(t.err.find("missing.c"), std::string::npos) << fmt << t.err;
    EXPECT_EQ(t.out.find("missing.c"), std::string::npos) << fmt << t.out;
    EXPECT_NE(t.out.find("NX2001"), std::string::npos) << fmt;
  }
}

TEST(Formats, UnknownSubcommandOrFlagIsNamed) {
  TempDir d;
  CliRun c = run(d.path(), "scna .");
  EXPECT_EQ(c.status, 2);
  EXPECT_NE(c.err.find("'scna'"), std::string::npos) << c.err;
  CliRun f = run(d.path(), "scan --bogus-flag .");
  EXPECT_EQ(f.status, 2);
  EXPECT_NE(f.err.find("--bogus-flag"), std::string::npos) << f.err;
  CliRun v = run(d.path(), "scan --fail-on sometimes .");
  EXPECT_EQ(v.status, 2);
  EXPECT_NE(v.err.find("sometimes"), std::string::npos) << v.err;
}

TEST(Formats, ModesAloneExitsZeroUnlessAnInputError) {
  TempDir d;
  d.write("drv.c", kDriver);
  EXPECT_EQ(run(d.path(), "scan drv.c").status, 1);
  EXPECT_EQ(run(d.path(), "scan --modes drv.c").status, 0);
  EXPECT_EQ(run(d.path(), "scan --modes drv.c missing.c").status, 2);
}

}  // namespace
}  // namespace nxpool::clitest
