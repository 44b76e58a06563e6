// Issue 11 item 3: .nxpool.toml / .nxpool.yaml found by walking up from the
// scanned paths; rules on/off/re-graded, exclude globs, default
// configurations, baseline, hvci, fail-on; malformed files are positioned
// errors and the scan still runs.
#include <gtest/gtest.h>

#include <regex>

#include "cli_run.h"
#include "config/config.h"
#include "two_config_project.h"

namespace nxpool::clitest {
namespace {

const std::string kDriver = "#include <ntddk.h>\nvoid f(void)\n{\n" + alloc("a") + "}\n";  // NX2001 at 4:39

TEST(Config, FoundInAParentDirectoryDisablesARule) {
  TempDir d;
  d.write(".nxpool.toml", "[rules]\nNX2001 = \"off\"\n");
  d.write("drivers/net/drv.c", kDriver);
  EXPECT_EQ(run(d.path() + "/drivers/net", "scan .").status, 0);
  EXPECT_EQ(findings(run(d.path() + "/drivers", "scan --format json net").out).size(), 0u);
  // The same tree without the file reports it.
  std::filesystem::remove(d.path() + "/.nxpool.toml");
  EXPECT_EQ(run(d.path() + "/drivers/net", "scan .").status, 1);
}

TEST(Config, YamlRegradesAndFailOnFromFileAndCommandLine) {
  TempDir d;
  d.write(".nxpool.yaml", "rules:\n  NX2001: note\n");
  d.write("drv.c", kDriver);
  CliRun t = run(d.path(), "scan drv.c");
  EXPECT_EQ(t.status, 0);  // a note does not fail by default
  EXPECT_NE(t.out.find("drv.c:4:39: note:"), std::string::npos) << t.out;
  EXPECT_EQ(run(d.path(), "scan --fail-on note drv.c").status, 1);
  d.write(".nxpool.yaml", "fail-on: note\n");
  EXPECT_EQ(run(d.path(), "scan drv.c").status, 1);
  d.write(".nxpool.yaml", "fail-on: error\n");
  EXPECT_EQ(run(d.path(), "scan drv.c").status, 0);  // a warning, below the threshold
  EXPECT_EQ(run(d.path(), "scan --fail-on warning drv.c").status, 1);  // the command line wins
  EXPECT_EQ(run(d.path(), "scan --fail-on never drv.c").status, 0);
  EXPECT_EQ(run(d.path(), "scan --fail-on never missing.c").status, 2);  // input errors still count
}

TEST(Config, ExcludeGlobsAndHvci) {
  TempDir d;
  d.write(".nxpool.toml", "hvci = true\nexclude = [\"third_party/**\", \"*_gen.c\"]\n");
  d.write("src/drv.c", kDriver);
  d.write("src/table_gen.c", kDriver);
  d.write("third_party/lib/x.c", kDriver);
  CliRun t = run(d.path(), "scan .");
  EXPECT_EQ(t.status, 1);
  EXPECT_NE(t.out.find("src/drv.c:4:39: error:"), std::string::npos) << t.out;  // hvci: executable sites are errors
  EXPECT_EQ(t.out.find("table_gen.c"), std::string::npos) << t.out;
  EXPECT_EQ(t.out.find("third_party"), std::string::npos) << t.out;
}

TEST(Config, GlobMatching) {
  using config::glob_match;
  EXPECT_TRUE(glob_match("third_party/**", "third_party/a/b.c"));
  EXPECT_TRUE(glob_match("third_party", "third_party/a/b.c"));
  EXPECT_TRUE(glob_match("*_gen.c", "src/deep/x_gen.c"));
  EXPECT_TRUE(glob_match("src/*.c", "src/a.c"));
  EXPECT_FALSE(glob_match("src/*.c", "src/sub/a.c"));
  EXPECT_TRUE(glob_match("src/**/*.c", "src/a.c"));
  EXPECT_TRUE(glob_match("src/**/*.c", "src/sub/a.c"));
  EXPECT_FALSE(glob_match("lib/**", "src/lib/a.c"));
  EXPECT_TRUE(glob_match("a?.c", "ab.c"));
}

TEST(Config, MalformedFilesArePositionedErrorsAndTheScanStillRuns) {
  TempDir d;
  d.write("drv.c", kDriver);
  d.write(".nxpool.toml", "hvci = true\n[rules\nNX2001 = \"off\"\n");
  CliRun t = run(d.path(), "scan drv.c");
  EXPECT_EQ(t.status, 2);
  EXPECT_TRUE(std::regex_search(t.err, std::regex(R"(\.nxpool\.toml:2:\d+: error: )"))) << t.err;
  EXPECT_NE(t.out.find("drv.c:4:39: warning:"), std::string::npos) << t.out;

  d.write(".nxpool.toml", "fail-on = \"sometimes\"\nbogus = 1\n[rules]\nNX9999 = \"off\"\nNX2001 = \"loud\"\n");
  t = run(d.path(), "scan drv.c");
  EXPECT_EQ(t.status, 2);
  EXPECT_NE(t.err.find(".nxpool.toml:1:11: error: 'fail-on' must be"), std::string::npos) << t.err;
  EXPECT_NE(t.err.find(".nxpool.toml:2:9: error: unknown setting 'bogus'"), std::string::npos) << t.err;
  EXPECT_NE(t.err.find(".nxpool.toml:4:10: error: unknown rule 'NX9999'"), std::string::npos) << t.err;
  EXPECT_NE(t.err.find(".nxpool.toml:5:10: error: rule NX2001: expected"), std::string::npos) << t.err;

  std::filesystem::remove(d.path() + "/.nxpool.toml");
  d.write(".nxpool.yaml", "rules:\n  NX2001: [off\n");
  t = run(d.path(), "scan drv.c");
  EXPECT_EQ(t.status, 2);
  EXPECT_TRUE(std::regex_search(t.err, std::regex(R"(\.nxpool\.yaml:\d+:\d+: error: )"))) << t.err;
  EXPECT_NE(t.out.find("drv.c:4:39:"), std::string::npos) << t.out;
}

#if NXPOOL_HAVE_BUILD_READERS
TEST(Config, DefaultConfigurations) {
  TempDir d;
  d.write("drv.c", kDriver);
  d.write("twocfg.vcxproj", kTwoConfigProject);
  d.write(".nxpool.toml", "configurations = [\"Release|x64\"]\n");
  std::set<std::string> configs;
  for (auto& j : json_lines(run(d.path(), "scan --format json .").out))
    if (j["type"] == "unit") configs.insert(j["config"]);
  EXPECT_EQ(configs, (std::set<std::string>{"Release|x64"}));
  configs.clear();
  for (auto& j : json_lines(run(d.path(), "scan --format json --config \"Debug|x64\" .").out))
    if (j["type"] == "unit") configs.insert(j["config"]);
  EXPECT_EQ(configs, (std::set<std::string>{"Debug|x64"}));
}
#endif

}  // namespace
}  // namespace nxpool::clitest
