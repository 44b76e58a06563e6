// Issue 11 item 1: in-source suppressions, in the spellings driver code
// already has, and nxpool's own comment; the C300xx mapping in `nxpool
// rules` and on each rule page.
#include <gtest/gtest.h>

#include <regex>

#include "cli_run.h"
#include "rules/registry.h"
#include "suppress/warning_map.h"

namespace nxpool::clitest {
namespace {

std::string driver(const std::string& body) {
  return "#include <ntddk.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)\n{\n" + body +
         "    return 0;\n}\n";
}

// line -> suppressed, for the NX2001 findings of a JSON Lines run.
std::map<int, bool> nx2001_by_line(const CliRun& r) {
  std::map<int, bool> m;
  for (auto& f : findings(r.out))
    if (f["rule"] == "NX2001") m[f["line"].get<int>()] = f["suppressed"].get<bool>();
  return m;
}

TEST(Suppress, PragmaWarningSuppressCoversTheNextStatementOnly) {
  TempDir d;
  d.write("drv.c", driver("#pragma warning(suppress: 30030)\n" + alloc("a") + alloc("b")));  // lines 4-6
  CliRun j = run(d.path(), "scan --format json drv.c");
  EXPECT_EQ(nx2001_by_line(j), (std::map<int, bool>{{5, true}, {6, false}})) << j.out;
  CliRun t = run(d.path(), "scan drv.c");
  EXPECT_EQ(t.status, 1);
  EXPECT_EQ(t.out.find("drv.c:5:"), std::string::npos) << t.out;  // suppressed: not printed
  EXPECT_NE(t.out.find("drv.c:6:"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("1 suppressed"), std::string::npos) << t.out;
}

TEST(Suppress, SuppressedFindingsDoNotChangeTheExitStatus) {
  TempDir d;
  d.write("drv.c", driver("#pragma warning(suppress: 30030)\n" + alloc("a")));
  CliRun t = run(d.path(), "scan drv.c");
  EXPECT_EQ(t.status, 0) << t.out;
  EXPECT_EQ(findings(run(d.path(), "scan --format json drv.c").out).size(), 1u);
}

TEST(Suppress, PrefastSuppressSpansAMultiLineStatementAndKeepsTheJustification) {
  TempDir d;
  d.write("drv.c", driver("#pragma prefast(suppress: 30030, \"the JIT page needs it\")\n"
                          "    PVOID p = ExAllocatePoolWithTag(\n"
                          "        NonPagedPool, 64, 'gaT1');\n" +
                          alloc("b")));  // NonPagedPool on line 6, the next one on 7
  CliRun j = run(d.path(), "scan --format json drv.c");
  EXPECT_EQ(nx2001_by_line(j), (std::map<int, bool>{{6, true}, {7, false}})) << j.out;
  for (auto& f : findings(j.out))
    if (f["line"] == 6) {
      EXPECT_EQ(f["suppression"], "pragma prefast");
      EXPECT_EQ(f["justification"], "the JIT page needs it");
    }
  // SARIF: suppressions [{kind: inSource, justification}] on that result only.
  auto doc = nlohmann::json::parse(run(d.path(), "scan --format sarif drv.c").out);
  int suppressed = 0;
  for (auto& res : doc["runs"][0]["results"]) {
    if (!res.contains("suppressions")) continue;
    ++suppressed;
    EXPECT_EQ(res["suppressions"][0]["kind"], "inSource");
    EXPECT_EQ(res["suppressions"][0]["justification"], "the JIT page needs it");
    EXPECT_EQ(res["locations"][0]["physicalLocation"]["region"]["startLine"], 6);
  }
  EXPECT_EQ(suppressed, 1);
}

TEST(Suppress, DisableUntilDefaultAndPushPop) {
  TempDir d;
  d.write("drv.c", driver("#pragma warning(disable: 30030)\n" + alloc("a") +        // 4, 5
                          "#pragma warning(default: 30030)\n" + alloc("b") +        // 6, 7
                          "#pragma warning(push)\n#pragma warning(disable: 4996 30030)\n" + alloc("c") +  // 8, 9, 10
                          "#pragma warning(pop)\n" + alloc("d")));                  // 11, 12
  CliRun j = run(d.path(), "scan --format json drv.c");
  EXPECT_EQ(nx2001_by_line(j), (std::map<int, bool>{{5, true}, {7, false}, {10, true}, {12, false}})) << j.out;
}

TEST(Suppress, NxpoolIgnoreCommentOnTheLineOrAlone) {
  TempDir d;
  d.write("drv.c", driver("    PVOID a = ExAllocatePoolWithTag(NonPagedPool, 64, 'gaT1'); // nxpool-ignore NX2001: tested\n"
                          "    // nxpool-ignore NX2001: the next statement\n" +
                          alloc("b") + alloc("c")));  // 4, (5) 6, 7
  CliRun j = run(d.path(), "scan --format json drv.c");
  EXPECT_EQ(nx2001_by_line(j), (std::map<int, bool>{{4, true}, {6, true}, {7, false}})) << j.out;
  for (auto& f : findings(j.out))
    if (f["line"] == 4) {
      EXPECT_EQ(f["justification"], "tested");
    }
}

TEST(Suppress, NxpoolIgnoreOnADirectiveLine) {
  TempDir d;
  d.write("drv.c", "#define POOL_NX_OPTOUT 0 // nxpool-ignore NX1002: kept for the old build\n#include <ntddk.h>\n");
  auto fs = findings(run(d.path(), "scan --format json -D POOL_NX_OPTIN_AUTO=1 drv.c").out);
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0]["rule"], "NX1002");
  EXPECT_TRUE(fs[0]["suppressed"].get<bool>());
}

TEST(Suppress, ASuppressionOfADifferentRuleDoesNotSuppress) {
  TempDir d;
  d.write("drv.c", driver("    PVOID a = ExAllocatePoolWithTag(NonPagedPool, 64, 'gaT1'); // nxpool-ignore NX2003: wrong rule\n"
                          "#pragma warning(suppress: 30029)\n" + alloc("b") +   // C30029 is NX2003, not NX2001
                          "#pragma warning(suppress: 28751)\n" + alloc("c")));  // C28751 is NX3004, not NX2001
  CliRun j = run(d.path(), "scan --format json drv.c");
  EXPECT_EQ(nx2001_by_line(j), (std::map<int, bool>{{4, false}, {6, false}, {8, false}})) << j.out;
  EXPECT_EQ(run(d.path(), "scan drv.c").status, 1);
}

TEST(Suppress, C28751SuppressesNx3004WhereTheConfigTurnsItOn) {
  TempDir d;
  d.write(".nxpool.toml", "[rules]\nNX3004 = \"on\"\n");
  d.write("drv.c", driver("#pragma warning(suppress: 28751)\n"
                          "    PVOID a = ExAllocatePoolWithTag(NonPagedPoolNx, 64, 'gaT1');\n"
                          "    PVOID b = ExAllocatePoolWithTag(NonPagedPoolNx, 64, 'gaT1');\n"));
  std::map<int, bool> by_line;
  for (auto& f : findings(run(d.path(), "scan --format json drv.c").out))
    if (f["rule"] == "NX3004") by_line[f["line"].get<int>()] = f["suppressed"].get<bool>();
  EXPECT_EQ(by_line, (std::map<int, bool>{{5, true}, {6, false}}));
}

TEST(Suppress, C30032OnlyInOptedOutFiles) {
  TempDir d;
  std::string body = "#pragma warning(suppress: 30032)\n" + alloc("a");
  d.write("out.c", "#define POOL_NX_OPTOUT 1\n" + driver(body));
  d.write("none.c", driver(body));
  auto fs = findings(run(d.path(), "scan --format json -D POOL_NX_OPTIN_AUTO=1 out.c none.c").out);
  std::map<std::string, bool> by_file;
  for (auto& f : fs)
    if (f["rule"] == "NX2001") by_file[f["file"]] = f["suppressed"];
  EXPECT_EQ(by_file, (std::map<std::string, bool>{{"out.c", true}}));  // none.c is AUTO: no finding at all
  auto none = findings(run(d.path(), "scan --format json none.c").out);
  ASSERT_EQ(none.size(), 1u);
  EXPECT_FALSE(none[0]["suppressed"].get<bool>());  // no opt-out: C30032 does not apply
}

TEST(Suppress, RulesCommandShowsTheCodeAnalysisMapping) {
  TempDir d;
  CliRun r = run(d.path(), "rules");
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(NX2001 .*\n\s+Code Analysis: C30030)"))) << r.out;
  for (const char* w : {"C30029", "C30030", "C30031", "C30032", "C30033", "C30034", "C30035", "C28751"})
    EXPECT_NE(r.out.find(w), std::string::npos) << w;
  for (auto& j : json_lines(run(d.path(), "rules --format json").out))
    if (j["id"] == "NX2003") {
      EXPECT_EQ(j["codeAnalysis"][0], "C30029");
    }
}

TEST(Suppress, EachRulePageListsItsCodeAnalysisWarnings) {
  for (const rules::RuleInfo& ri : rules::all_rules()) {
    std::string page = slurp(std::string(NXPOOL_DOCS_DIR) + "/" + std::string(ri.id) + ".md");
    std::size_t at = page.find("## Code Analysis for Drivers");
    ASSERT_NE(at, std::string::npos) << ri.id;
    std::string section = page.substr(at);
    for (const std::string& w : suppress::warnings_for_rule(ri.id))
      EXPECT_NE(section.find(w.substr(0, 6)), std::string::npos) << ri.id << " " << w;
    for (const suppress::WarningMapping& m : suppress::warning_mappings()) {
      bool maps = false;
      for (auto r : m.rules) maps = maps || r == ri.id;
      if (!maps) {
        EXPECT_EQ(section.find("C" + std::to_string(m.warning)), std::string::npos) << ri.id << m.warning;
      }
    }
  }
}

}  // namespace
}  // namespace nxpool::clitest
