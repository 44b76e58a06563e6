// Issue 11 item 4: SARIF that GitHub code scanning and Visual Studio take as
// is: one result per site, fingerprints independent of the working
// directory, valid URIs, complete rule metadata, and Microsoft's SARIF
// Multitool `validate` finding no error or warning.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_run.h"
#include "report/report.h"
#include "rules/registry.h"
#include "two_config_project.h"

namespace nxpool::clitest {
namespace {

const std::string kDriver =
    "#include <ntddk.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)\n{\n" + alloc("a") +
    "    PVOID m = MmMapIoSpace(pa, 4096, MmNonCached);\n    return 0;\n}\n";

std::vector<std::string> fingerprints(const nlohmann::json& doc) {
  std::vector<std::string> v;
  for (auto& r : doc["runs"][0]["results"]) v.push_back(r["partialFingerprints"]["primaryLocationLineHash"]);
  return v;
}

std::vector<std::string> uris(const nlohmann::json& doc) {
  std::vector<std::string> v;
  for (auto& r : doc["runs"][0]["results"])
    v.push_back(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]);
  return v;
}

TEST(Sarif, SameFingerprintsAndUrisFromTwoWorkingDirectories) {
  for (const char* marker : {".git/HEAD", ".nxpool.toml"}) {  // root found by git, then by the config file
    TempDir d;
    d.write(marker, std::string(marker) == ".git/HEAD" ? "ref: refs/heads/main\n" : "fail-on = \"warning\"\n");
    d.write("drivers/net/drv.c", kDriver);
    auto a = nlohmann::json::parse(run(d.path(), "scan --format sarif drivers/net").out);
    auto b = nlohmann::json::parse(run(d.path() + "/drivers/net", "scan --format sarif .").out);
    auto c = nlohmann::json::parse(run("/", "scan --format sarif " + d.path() + "/drivers").out);
    ASSERT_EQ(fingerprints(a).size(), 2u) << marker;
    EXPECT_EQ(fingerprints(a), fingerprints(b)) << marker;
    EXPECT_EQ(fingerprints(a), fingerprints(c)) << marker;
    EXPECT_EQ(uris(a), (std::vector<std::string>{"drivers/net/drv.c", "drivers/net/drv.c"})) << marker;
    EXPECT_EQ(uris(a), uris(b)) << marker;
    EXPECT_EQ(uris(a), uris(c)) << marker;
    EXPECT_EQ(b["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file://" + d.path() + "/") << marker;
  }
}

#if NXPOOL_HAVE_BUILD_READERS
TEST(Sarif, OneResultPerSiteWithItsConfigurationsListed) {
  TempDir d;
  d.write("drv.c", kDriver);
  d.write("twocfg.vcxproj", kTwoConfigProject);
  CliRun j = run(d.path(), "scan --format json .");
  EXPECT_EQ(findings(j.out).size(), 4u) << j.out;  // two sites x two configurations
  auto doc = nlohmann::json::parse(run(d.path(), "scan --format sarif .").out);
  auto& results = doc["runs"][0]["results"];
  ASSERT_EQ(results.size(), 2u);
  for (auto& r : results) {
    EXPECT_EQ(r["properties"]["configurations"], nlohmann::json::array({"Debug|x64", "Release|x64"}));
    EXPECT_EQ(r["properties"]["images"], nlohmann::json::array({"twocfg"}));
  }
  EXPECT_NE(fingerprints(doc)[0], fingerprints(doc)[1]);
}
#endif

TEST(Sarif, RuleMetadataOncePerRunAndRunDetails) {
  TempDir d;
  d.write("drv.c", kDriver);
  d.write(".nxpool.toml", "help-uri = \"https://example.org/nxpool/{rule}.html\"\n");
  auto doc = nlohmann::json::parse(run(d.path(), "scan --format sarif drv.c").out);
  auto& run0 = doc["runs"][0];
  auto& driver = run0["tool"]["driver"];
  EXPECT_TRUE(driver["informationUri"].get<std::string>().rfind("https://", 0) == 0);
  auto& rules = driver["rules"];
  ASSERT_EQ(rules.size(), rules::all_rules().size());
  std::set<std::string> ids;
  for (auto& r : rules) {
    std::string id = r["id"];
    ids.insert(id);
    EXPECT_EQ(r["help"]["markdown"], std::string(report::rule_page(id))) << id;
    EXPECT_FALSE(r["help"]["markdown"].get<std::string>().empty()) << id;
    EXPECT_EQ(r["helpUri"], "https://example.org/nxpool/" + id + ".html");
    double sev = std::stod(r["properties"]["security-severity"].get<std::string>());
    EXPECT_TRUE(sev > 0.0 && sev <= 10.0) << id;
    std::string precision = r["properties"]["precision"];
    EXPECT_TRUE(precision == "high" || precision == "medium") << id;
  }
  EXPECT_EQ(ids.size(), rules.size());  // each rule once
  EXPECT_EQ(run0["automationDetails"]["id"], "nxpool/scan/");
  EXPECT_EQ(run0["columnKind"], "unicodeCodePoints");
  for (auto& r : run0["results"]) EXPECT_FALSE(r.contains("rule") && r["rule"].contains("help"));
}

TEST(Sarif, ColumnsAreCodePoints) {
  TempDir d;
  // "é" is two bytes: NonPagedPool starts at byte column 46, code point column 45.
  d.write("drv.c", "#include <ntddk.h>\nvoid f(void) { /* é */ p = ExAllocatePoolWithTag(NonPagedPool, 1, 1); }\n");
  CliRun j = run(d.path(), "scan --format json drv.c");
  auto fs = findings(j.out);
  ASSERT_EQ(fs.size(), 1u);
  int byte_col = fs[0]["column"];
  auto doc = nlohmann::json::parse(run(d.path(), "scan --format sarif drv.c").out);
  auto& region = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(region["startColumn"], byte_col - 1);
  EXPECT_EQ(region["endColumn"], byte_col - 1 + 12);
}

TEST(Sarif, FilesOutsideTheRootGetFileUrisAndNotificationsAUriBase) {
  TempDir root, outside;
  root.write(".git/HEAD", "ref: refs/heads/main\n");
  root.write("drv.c", kDriver);
  outside.write("other.c", kDriver);
  CliRun s = run(root.path(), "scan --format sarif drv.c missing.c " + outside.path() + "/other.c");
  auto doc = nlohmann::json::parse(s.out);
  std::set<std::string> u;
  for (auto& x : uris(doc)) u.insert(x);
  EXPECT_EQ(u, (std::set<std::string>{"drv.c", "file://" + outside.path() + "/other.c"}));
  auto& notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 1u);
  auto& art = notes[0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(art["uri"], "missing.c");
  EXPECT_EQ(art["uriBaseId"], "%SRCROOT%");
}

// A real git checkout, for versionControlProvenance; then the Multitool.
class SarifInGit : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("git --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "git is not installed";
    d.write("drivers/drv.c", kDriver);
    std::string cmd = "cd '" + d.path() +
                      "' && git init -q -b main . && git -c user.email=t@example.org -c user.name=t add -A && "
                      "git -c user.email=t@example.org -c user.name=t commit -qm init && "
                      "git remote add origin git@github.com:example/drivers.git";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }
  TempDir d;
};

TEST_F(SarifInGit, VersionControlProvenance) {
  auto doc = nlohmann::json::parse(run(d.path() + "/drivers", "scan --format sarif .").out);
  auto& vcp = doc["runs"][0]["versionControlProvenance"];
  ASSERT_EQ(vcp.size(), 1u);
  EXPECT_EQ(vcp[0]["repositoryUri"], "https://github.com/example/drivers");
  EXPECT_EQ(vcp[0]["revisionId"].get<std::string>().size(), 40u);
  EXPECT_EQ(vcp[0]["branch"], "main");
}

// Microsoft's validator: `npx @microsoft/sarif-multitool validate`. The
// package is installed once into the build tree (NXPOOL_NPM_TOOLS).
TEST_F(SarifInGit, MultitoolValidateFindsNoErrorOrWarning) {
  if (std::system("node --version > /dev/null 2>&1") != 0 || std::system("npm --version > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "node/npm are not installed: SARIF Multitool validation skipped (apt-get install nodejs npm)";
  std::string tools = NXPOOL_NPM_TOOLS;
  std::string bin = tools + "/node_modules/.bin/sarif-multitool";
  if (!std::filesystem::exists(bin)) {
    std::filesystem::create_directories(tools);
    std::string install = "cd '" + tools + "' && npm install --prefix . --no-audit --no-fund --silent "
                          "@microsoft/sarif-multitool > install.log 2>&1";
    if (std::system(install.c_str()) != 0 || !std::filesystem::exists(bin))
      GTEST_SKIP() << "could not install @microsoft/sarif-multitool with npm (offline?); see " << tools
                   << "/install.log";
  }
  d.write("drivers/suppressed.c", "#include <ntddk.h>\nvoid f(void) {\n#pragma warning(suppress: 30030)\n" + alloc("s") +
                                      "}\n");
  CliRun s = run(d.path() + "/drivers", "scan --format sarif -o " + d.path() + "/out.sarif . missing.c");
  EXPECT_EQ(s.status, 2);  // missing.c: a notification in the file
  std::size_t with_fixes = 0;  // the validated log carries `fixes` (nxpool fix's edits)
  auto log = nlohmann::json::parse(slurp(d.path() + "/out.sarif"));
  for (auto& r : log["runs"][0]["results"]) with_fixes += r.contains("fixes");
  EXPECT_GE(with_fixes, 2u);
  std::string cmd = "cd '" + d.path() + "' && '" + bin + "' validate out.sarif -o validation.sarif --log ForceOverwrite > validate.log 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp(d.path() + "/validate.log");
  auto v = nlohmann::json::parse(slurp(d.path() + "/validation.sarif"));
  int bad = 0;
  for (auto& r : v["runs"][0]["results"]) {
    std::string level = r.value("level", "warning");
    if (level == "error" || level == "warning") {
      ++bad;
      ADD_FAILURE() << r["ruleId"] << ": " << r["message"].dump();
    }
  }
  EXPECT_EQ(bad, 0) << slurp(d.path() + "/validate.log");
}

}  // namespace
}  // namespace nxpool::clitest
