// `nxpool` end to end: options, formats, exit codes (issue 5 items 5-6).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "../analyzer/test_util.h"
#include "cli_run.h"
#include "rules/registry.h"

namespace {
using nxpool::testing::TempDir;

using nxpool::clitest::CliRun;
using nxpool::clitest::run;
using nxpool::clitest::slurp;

std::vector<nlohmann::json> lines(const std::string& s) {
  std::vector<nlohmann::json> v;
  std::istringstream is(s);
  std::string l;
  while (std::getline(is, l)) {
    if (l.empty()) continue;
    auto j = nlohmann::json::parse(l);
    // The scan's header record (docs/json-lines.md) comes first, once; the
    // tests below look at what follows it.
    if (j.contains("type") && j["type"] == "header") {
      EXPECT_TRUE(v.empty()) << "header record not first";
      continue;
    }
    v.push_back(std::move(j));
  }
  return v;
}

const char* kDriver =
    "#include <ntddk.h>\n"
    "NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)\n"
    "{\n"
    "    PVOID p = ExAllocatePoolWithTag(NonPagedPool, 64, 'gaT1');\n"
    "    return 0;\n"
    "}\n";

TEST(Cli, HelpDocumentsEveryOptionAndExitCodes) {
  TempDir d;
  CliRun top = run(d.path(), "--help");
  EXPECT_EQ(top.status, 0);
  EXPECT_NE(top.out.find("scan"), std::string::npos);
  EXPECT_NE(top.out.find("Exit status"), std::string::npos);
  CliRun scan = run(d.path(), "scan --help");
  EXPECT_EQ(scan.status, 0);
  for (const char* opt : {"-p", "--compile-commands", "-D", "-U", "-I", "--arch", "--format", "--modes", "-o",
                          "--hvci", "--config", "Exit status", "  2  "})
    EXPECT_NE(scan.out.find(opt), std::string::npos) << opt;
}

TEST(Cli, ExitCodes) {
  TempDir d;
  d.write("clean/a.c", "#include <wdm.h>\nvoid f(void) { p = ExAllocatePoolWithTag(NonPagedPoolNx, 1, 1); }\n");
  d.write("dirty/a.c", kDriver);
  EXPECT_EQ(run(d.path(), "scan clean").status, 0);
  EXPECT_EQ(run(d.path(), "scan dirty").status, 1);
  CliRun missing = run(d.path(), "scan dirty nothere.c");
  EXPECT_EQ(missing.status, 2);
  // Issue 11 item 5: input errors go to stderr in the text formats.
  EXPECT_NE(missing.err.find("nothere.c: error: no such file or directory"), std::string::npos) << missing.err;
  EXPECT_NE(missing.out.find("a.c:4:"), std::string::npos);  // the rest is still scanned
  EXPECT_EQ(run(d.path(), "scan --bogus").status, 2);
  EXPECT_EQ(run(d.path(), "scan --arch mips clean").status, 2);
  EXPECT_EQ(run(d.path(), "").status, 2);
}

TEST(Cli, TextAndMsvcFormats) {
  TempDir d;
  d.write("src/drv.c", kDriver);
  CliRun t = run(d.path(), "scan src");
  EXPECT_TRUE(std::regex_search(t.out, std::regex(R"(^src/drv\.c:4:37: warning: .*\[NX2001\]$)", std::regex::multiline)))
      << t.out;
  CliRun m = run(d.path(), "scan --format msvc src");
  // Issue 11 item 5: msvc paths are absolute.
  EXPECT_NE(m.out.find(d.path() + "/src/drv.c(4,37): warning NX2001: "), std::string::npos) << m.out;
}

TEST(Cli, JsonLinesAndCommandLineDefinitions) {
  TempDir d;
  d.write("drv.c", kDriver);
  CliRun j = run(d.path(), "scan --format json -D POOL_NX_OPTIN_AUTO=1 drv.c");
  EXPECT_EQ(j.status, 0);
  auto v = lines(j.out);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["type"], "unit");
  EXPECT_EQ(v[0]["mode"], "auto");
  CliRun u = run(d.path(), "scan --format json -DPOOL_NX_OPTIN_AUTO=1 -UPOOL_NX_OPTIN_AUTO drv.c");
  v = lines(u.out);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0]["mode"], "none");
  EXPECT_EQ(v[1]["type"], "finding");
  EXPECT_EQ(v[1]["rule"], "NX2001");
  EXPECT_EQ(v[1]["line"], 4);
  EXPECT_EQ(v[1]["column"], 37);
  EXPECT_EQ(v[1]["mode"], "none");
  CliRun arm = run(d.path(), "scan --format json --arch arm64 drv.c");
  v = lines(arm.out);
  EXPECT_EQ(v[0]["mode"], "auto");
  EXPECT_EQ(v[0]["arch"], "arm64");
}

TEST(Cli, IncludeDirectories) {
  TempDir d;
  d.write("inc/cfg.h", "#define POOL_NX_OPTIN_AUTO 1\n");
  d.write("src/drv.c", std::string("#include <cfg.h>\n") + kDriver);
  EXPECT_EQ(run(d.path(), "scan src").status, 1);
  EXPECT_EQ(run(d.path(), "scan -I inc src").status, 0);
}

TEST(Cli, SarifValidStructureAndOutputFile) {
  TempDir d;
  d.write("src/drv.c", kDriver);
  CliRun s = run(d.path(), "scan --format sarif -o report.sarif src");
  EXPECT_EQ(s.status, 1);
  EXPECT_TRUE(s.out.empty());
  auto doc = nlohmann::json::parse(slurp(d.path() + "/report.sarif"));
  EXPECT_EQ(doc["version"], "2.1.0");
  auto& run0 = doc["runs"][0];
  EXPECT_EQ(run0["tool"]["driver"]["name"], "nxpool");
  EXPECT_EQ(run0["tool"]["driver"]["rules"].size(), nxpool::rules::all_rules().size());
  ASSERT_EQ(run0["results"].size(), 1u);
  auto& r = run0["results"][0];
  EXPECT_EQ(r["ruleId"], "NX2001");
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src/drv.c");
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["region"]["startLine"], 4);
  std::string fp1 = r["partialFingerprints"]["primaryLocationLineHash"];
  // The fingerprint survives an edit above the finding.
  d.write("src/drv.c", std::string("// a new comment line\n") + kDriver);
  run(d.path(), "scan --format sarif -o report.sarif src");
  auto doc2 = nlohmann::json::parse(slurp(d.path() + "/report.sarif"));
  EXPECT_EQ(doc2["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 5);
  EXPECT_EQ(doc2["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"], fp1);
}

TEST(Cli, SarifUrisAreRelativeToTheRepositoryRoot) {
  TempDir d;
  d.write(".git/HEAD", "ref: refs/heads/main\n");
  d.write("drivers/net/drv.c", kDriver);
  CliRun s = run(d.path() + "/drivers", "scan --format sarif net");
  auto doc = nlohmann::json::parse(s.out);
  auto& run0 = doc["runs"][0];
  EXPECT_EQ(run0["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "drivers/net/drv.c");
  EXPECT_EQ(run0["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file://" + d.path() + "/");
}

TEST(Cli, OutputFileIsAllOrNothing) {
  // -o writes FILE.tmp<pid> and renames it: a failure leaves no partial file.
  TempDir d;
  d.write("drv.c", kDriver);
  CliRun bad = run(d.path(), "scan -o missing-dir/report.txt drv.c");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("cannot write"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(d.path() + "/missing-dir"));
  CliRun good = run(d.path(), "scan -o report.txt drv.c");
  EXPECT_EQ(good.status, 1);
  EXPECT_NE(slurp(d.path() + "/report.txt").find("[NX2001]"), std::string::npos);
  for (const auto& e : std::filesystem::directory_iterator(d.path()))
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
}

TEST(Cli, ModesTable) {
  TempDir d;
  d.write("a.c", "#define POOL_NX_OPTIN 1\n#include <ntddk.h>\n");
  d.write("b.c", "#include <ntddk.h>\n");
  // Issue 4 item 5: loose files form the "<scan>" image, with one MODE column.
  CliRun m = run(d.path(), "scan --modes .");
  EXPECT_EQ(m.out,
            "image <scan> (loose files)\n"
            "  FILE  MODE\n"
            "  a.c   optin [1]\n"
            "  b.c   none [2]\n"
            "  [1] POOL_NX_OPTIN=1 from a.c:1\n"
            "  [2] no opt-in macro in force\n");
  EXPECT_EQ(run(d.path(), "scan --modes --format msvc .").out, m.out);
}

TEST(Cli, RulesListsEveryRule) {
  TempDir d;
  CliRun r = run(d.path(), "rules");
  EXPECT_EQ(r.status, 0);
  for (const char* id : {"NX1001", "NX1002", "NX1003", "NX1004", "NX1005", "NX1101", "NX1102", "NX1103", "NX1104",
                         "NX2001", "NX2002", "NX2003", "NX2004", "NX2005", "NX3001", "NX3002", "NX3003", "NX3004"})
    EXPECT_NE(r.out.find(id), std::string::npos) << id;
  EXPECT_EQ(lines(run(d.path(), "rules --format json").out).size(), nxpool::rules::all_rules().size());
}

TEST(Cli, BinaryFileIsSkippedWithNote) {
  TempDir d;
  d.write("blob.c", std::string("\x01\x02\0\0garbage", 11));
  CliRun r = run(d.path(), "scan blob.c");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.err.find("blob.c: note: binary file"), std::string::npos) << r.err;
}

#if NXPOOL_HAVE_BUILD_READERS
TEST(Cli, CompileCommandsPerEntryDefinitions) {
  TempDir d;
  d.write("a.c", kDriver);
  d.write("b.c", kDriver);
  d.write("c.c", kDriver);
  d.write("build/compile_commands.json",
          "[{\"directory\":\"" + d.path() + "\",\"file\":\"a.c\",\"command\":\"cl /c /DPOOL_NX_OPTIN_AUTO=1 a.c\"},"
          "{\"directory\":\"" + d.path() + "\",\"file\":\"b.c\",\"arguments\":[\"gcc\",\"-c\",\"-DPOOL_NX_OPTIN_AUTO=1\","
          "\"-DPOOL_NX_OPTOUT=1\",\"b.c\"]}]");
  CliRun r = run(d.path(), "scan --format json -p build .");
  auto v = lines(r.out);
  std::map<std::string, std::string> modes;
  int findings = 0;
  for (auto& j : v) {
    if (j["type"] == "unit") modes[j["file"]] = j["mode"];
    if (j["type"] == "finding") ++findings;
  }
  EXPECT_EQ(modes["a.c"], "auto");
  EXPECT_EQ(modes["b.c"], "optout");
  EXPECT_EQ(modes["c.c"], "none");  // no compile command: loose file
  EXPECT_EQ(findings, 2);
}

TEST(Cli, BadCompileCommandsIsPositionedErrorAndExit2) {
  TempDir d;
  d.write("a.c", kDriver);
  d.write("compile_commands.json", "[{\"file\": \"a.c\",,]");
  CliRun r = run(d.path(), "scan -p compile_commands.json a.c");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(compile_commands\.json:1:\d+: error:)"))) << r.err;
  EXPECT_NE(r.out.find("a.c:4:"), std::string::npos);  // still scanned
}
#endif

}  // namespace

// Issue 8 item 2: the front door answers the first things a new user types.
TEST(Cli, VersionAndHelpCommand) {
  TempDir d;
  for (const char* flag : {"--version", "-V"}) {
    CliRun v = run(d.path(), flag);
    EXPECT_EQ(v.status, 0) << flag;
    EXPECT_TRUE(std::regex_search(v.out, std::regex("^nxpool [0-9]+\\.[0-9]+\\.[0-9]+\n$"))) << flag << ": " << v.out;
  }
  CliRun top = run(d.path(), "help");
  EXPECT_EQ(top.status, 0);
  EXPECT_NE(top.out.find("scan"), std::string::npos);
  EXPECT_NE(top.out.find("Exit status"), std::string::npos);
  CliRun scan = run(d.path(), "help scan");
  EXPECT_EQ(scan.status, 0);
  EXPECT_NE(scan.out.find("--compile-commands"), std::string::npos) << scan.out;
  CliRun bad = run(d.path(), "help frobnicate");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("frobnicate"), std::string::npos) << bad.err;
}
