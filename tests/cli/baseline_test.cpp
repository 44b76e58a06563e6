// Issue 11 item 2: --write-baseline / --baseline, matched by a fingerprint
// that survives edits elsewhere in the file.
#include <gtest/gtest.h>

#include "cli_run.h"

namespace nxpool::clitest {
namespace {

std::string driver(const std::string& body) {
  return "#include <ntddk.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)\n{\n" + body +
         "    return 0;\n}\n";
}

TEST(Baseline, SurvivesLinesInsertedAboveAndReportsANewFinding) {
  TempDir d;
  d.write(".git/HEAD", "ref: refs/heads/main\n");
  d.write("src/drv.c", driver(alloc("a")));
  CliRun w = run(d.path(), "scan --write-baseline nx-baseline.json src");
  EXPECT_EQ(w.status, 0) << w.out << w.err;  // today's findings are accepted
  auto doc = nlohmann::json::parse(slurp(d.path() + "/nx-baseline.json"));
  EXPECT_EQ(doc["nxpoolBaseline"], 1);
  ASSERT_EQ(doc["findings"].size(), 1u);
  EXPECT_EQ(doc["findings"][0]["rule"], "NX2001");
  EXPECT_EQ(doc["findings"][0]["path"], "src/drv.c");  // relative to the repository root
  EXPECT_EQ(doc["findings"][0]["line"], 4);
  EXPECT_EQ(run(d.path(), "scan --baseline nx-baseline.json src").status, 0);

  // Three lines above the finding, and a new finding in a new function below.
  d.write("src/drv.c", "// Copyright line\n#define X 1\n\n" + driver(alloc("a")) + "VOID g(void)\n{\n" + alloc("z") +
                           "}\n");
  CliRun b = run(d.path(), "scan --format json --baseline nx-baseline.json src");
  EXPECT_EQ(b.status, 1);
  auto fs = findings(b.out);
  ASSERT_EQ(fs.size(), 1u) << b.out;
  EXPECT_EQ(fs[0]["line"], 12);  // the new one only
  CliRun t = run(d.path(), "scan --baseline nx-baseline.json src");
  EXPECT_NE(t.out.find("1 in the baseline"), std::string::npos) << t.out;
  EXPECT_EQ(run(d.path(), "scan src").status, 1);  // without the baseline both are back
}

TEST(Baseline, IdenticalLinesAreToldApartByOccurrence) {
  TempDir d;
  std::string same = alloc("a");
  d.write("drv.c", driver(same + same));
  EXPECT_EQ(run(d.path(), "scan --write-baseline b.json drv.c").status, 0);
  EXPECT_EQ(nlohmann::json::parse(slurp(d.path() + "/b.json"))["findings"].size(), 2u);
  d.write("drv.c", driver(same + same + same));
  auto fs = findings(run(d.path(), "scan --format json --baseline b.json drv.c").out);
  EXPECT_EQ(fs.size(), 1u);
}

TEST(Baseline, FromTheConfigFileAndAMalformedOneIsAPositionedError) {
  TempDir d;
  d.write("drv.c", driver(alloc("a")));
  d.write(".nxpool.toml", "baseline = \"ci/nx-baseline.json\"\n");
  d.write("ci/nx-baseline.json", "{\n  \"findings\": [\n    {\"fingerprint\": 1,,\n");
  CliRun bad = run(d.path(), "scan drv.c");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("ci/nx-baseline.json:3:"), std::string::npos) << bad.err;
  EXPECT_NE(bad.out.find("drv.c:4:"), std::string::npos) << bad.out;  // still scanned and reported
  EXPECT_EQ(run(d.path(), "scan --write-baseline ci/nx-baseline.json drv.c").status, 0);
  EXPECT_EQ(run(d.path(), "scan drv.c").status, 0);  // the config file's baseline applies
}

// A number beyond a double's range is an out-of-range exception in the JSON
// library, not a parse error: still a clear error with the scan going on.
TEST(Baseline, ANumberOutOfRangeIsAnErrorNotAFailedRun) {
  TempDir d;
  d.write("drv.c", driver(alloc("a")));
  d.write("b.json", "{\"findings\": [{\"fingerprint\": 1E999999}]}\n");
  CliRun bad = run(d.path(), "scan --baseline b.json drv.c");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("b.json:1:1: error: not a baseline file (malformed JSON"), std::string::npos) << bad.err;
  EXPECT_NE(bad.out.find("drv.c:4:"), std::string::npos) << bad.out;  // still scanned and reported
}

}  // namespace
}  // namespace nxpool::clitest
