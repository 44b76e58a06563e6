// Output formats (issue 5 item 6; SARIF shape from the peers doc §3).
#include "report/report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "rules/registry.h"

namespace nxpool::report {
namespace {

scan::ScanResult sample() {
  scan::ScanResult r;
  scan::Finding f;
  f.rule = "NX2001";
  f.severity = model::Severity::Warning;
  f.file = "src/drv.c";
  f.line = 12;
  f.column = 30;
  f.end_column = 42;
  f.message = "'NonPagedPool' allocates executable pool";
  f.mode = scan::NxMode::None;
  f.config = "Release|x64";
  r.findings.push_back(f);
  f.rule = "NX2002";
  f.severity = model::Severity::Note;
  f.line = 14;
  r.findings.push_back(f);
  scan::UnitRecord u;
  u.file = "src/drv.c";
  u.mode = scan::NxMode::None;
  u.config = "Release|x64";
  u.arch = "x64";
  r.units.push_back(u);
  return r;
}

TEST(Report, GccStyleText) {
  std::ostringstream os;
  write_text(os, sample(), {});
  EXPECT_EQ(os.str().substr(0, os.str().find('\n')),
            "src/drv.c:12:30: warning: 'NonPagedPool' allocates executable pool (Release|x64) [NX2001]");
}

TEST(Report, TextFoldsFindingsThatHoldInEveryConfiguration) {
  scan::ScanResult r;
  for (const char* cfg : {"Debug|x64", "Release|x64", "Release|ARM64"}) {
    scan::UnitRecord u;
    u.file = "a.c";
    u.config = cfg;
    r.units.push_back(u);
  }
  scan::Finding f;
  f.rule = "NX2003";
  f.file = "a.c";
  f.line = 3;
  f.column = 5;
  f.message = "MmMapIoSpace always returns executable memory";
  for (const char* cfg : {"Debug|x64", "Release|ARM64", "Release|x64"}) {
    f.config = cfg;
    r.findings.push_back(f);
  }
  f.rule = "NX2001";
  f.line = 4;
  f.message = "'NonPagedPool' allocates executable pool";
  f.config = "Debug|x64";
  r.findings.push_back(f);
  std::ostringstream os;
  write_text(os, r, {});
  EXPECT_EQ(os.str(),
            "a.c:3:5: warning: MmMapIoSpace always returns executable memory (all 3 configurations) [NX2003]\n"
            "a.c:4:5: warning: 'NonPagedPool' allocates executable pool (Debug|x64) [NX2001]\n");
}

// Issue 4 item 3 ("the text output folds a finding that holds in every
// configuration into one line that says so") and the same finding reached
// through two images: each distinct finding is one line. A header has no
// unit of its own: "every configuration" is that of the images its
// findings name.
TEST(Report, TextSaysEachFindingOnce) {
  scan::ScanResult r;
  r.images.push_back({"a", model::ImageKind::Driver, "a.vcxproj", {"Debug|x64", "Release|x64", "Release|ARM64"}});
  r.images.push_back({"b", model::ImageKind::Driver, "b.vcxproj", {"Debug|x64", "Release|x64", "Release|ARM64"}});
  for (const char* image : {"a", "b"})
    for (const char* cfg : {"Debug|x64", "Release|x64", "Release|ARM64"}) {
      scan::UnitRecord u;
      u.file = "shared.c";
      u.config = cfg;
      u.image = image;
      r.units.push_back(u);
    }
  scan::Finding f;
  f.file = "shared.c";
  f.rule = "NX2001";
  f.line = 4;
  f.column = 5;
  f.message = "'NonPagedPool' allocates executable pool";
  // x64 only (ARM64 is AUTO), in both images.
  for (const char* image : {"a", "b"})
    for (const char* cfg : {"Debug|x64", "Release|x64"}) {
      f.image = image;
      f.config = cfg;
      r.findings.push_back(f);
    }
  // A header finding in every configuration of image a.
  f.file = "inc/h.h";
  f.rule = "NX2003";
  f.line = 2;
  f.message = "MmMapIoSpace always returns executable memory";
  f.image = "a";
  for (const char* cfg : {"Debug|x64", "Release|ARM64", "Release|x64"}) {
    f.config = cfg;
    r.findings.push_back(f);
  }
  std::ostringstream os;
  write_text(os, r, {});
  EXPECT_EQ(os.str(),
            "shared.c:4:5: warning: 'NonPagedPool' allocates executable pool (Debug|x64, Release|x64) [NX2001]\n"
            "inc/h.h:2:5: warning: MmMapIoSpace always returns executable memory (all 3 configurations) [NX2003]\n");
  std::ostringstream ms;
  write_msvc(ms, r);
  // msvc paths are absolute (issue 11 item 5).
  const std::string cwd = std::filesystem::current_path().string() + "/";
  EXPECT_EQ(ms.str(),
            cwd + "shared.c(4,5): warning NX2001: 'NonPagedPool' allocates executable pool (Debug|x64, Release|x64)\n" +
                cwd + "inc/h.h(2,5): warning NX2003: MmMapIoSpace always returns executable memory (all 3 configurations)\n");
}

TEST(Report, MsvcStyle) {
  std::ostringstream os;
  write_msvc(os, sample());
  EXPECT_EQ(os.str().substr(0, os.str().find('\n')),
            std::filesystem::current_path().string() +
                "/src/drv.c(12,30): warning NX2001: 'NonPagedPool' allocates executable pool (Release|x64)");
}

TEST(Report, JsonLinesEachHaveType) {
  std::ostringstream os;
  scan::ScanResult r = sample();
  r.diagnostics.push_back({{"bad.c", 0, 0}, model::Severity::Error, "cannot open"});
  write_json_lines(os, r);
  std::istringstream is(os.str());
  std::string line;
  std::vector<std::string> types;
  while (std::getline(is, line)) {
    auto j = nlohmann::json::parse(line);
    types.push_back(j.at("type"));
    if (j["type"] == "finding") {
      EXPECT_EQ(j.at("mode"), "none");
      EXPECT_EQ(j.at("config"), "Release|x64");
      EXPECT_TRUE(j.contains("line") && j.contains("column") && j.contains("severity") && j.contains("rule"));
    }
  }
  EXPECT_EQ(types, (std::vector<std::string>{"header", "error", "unit", "finding", "finding"}));
}

// Issue 8 item 4: the output carries the version of its own schema, first.
TEST(Report, JsonLinesStartWithVersionedHeader) {
  std::ostringstream os;
  write_json_lines(os, sample());
  auto first = nlohmann::json::parse(os.str().substr(0, os.str().find('\n')));
  EXPECT_EQ(first.at("type"), "header");
  EXPECT_EQ(first.at("format"), "nxpool-json-lines");
  EXPECT_EQ(first.at("version"), kJsonLinesVersion);
}

// SARIF URIs are relative to the enclosing git checkout, and the build tree
// usually sits inside one; run from a fresh directory outside any checkout
// so the expected URIs do not depend on where the build directory is.
class OutsideAnyCheckout {
 public:
  OutsideAnyCheckout() : saved_(std::filesystem::current_path()) {
    dir_ = std::filesystem::temp_directory_path() /
           ("nxpool-sarif-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(dir_);
    std::filesystem::current_path(dir_);
  }
  ~OutsideAnyCheckout() {
    std::error_code ec;
    std::filesystem::current_path(saved_, ec);
    std::filesystem::remove_all(dir_, ec);
  }

 private:
  std::filesystem::path saved_, dir_;
};

TEST(Report, SarifStructure) {
  OutsideAnyCheckout cwd;
  std::ostringstream os;
  write_sarif(os, sample(), {});
  auto doc = nlohmann::json::parse(os.str());
  EXPECT_EQ(doc.at("version"), "2.1.0");
  ASSERT_TRUE(doc.at("$schema").is_string());
  auto& run = doc.at("runs").at(0);
  auto& rules = run.at("tool").at("driver").at("rules");
  EXPECT_EQ(rules.size(), rules::all_rules().size());
  for (auto& rule : rules) {
    for (const char* k : {"id", "shortDescription", "fullDescription", "help", "defaultConfiguration", "properties"})
      EXPECT_TRUE(rule.contains(k)) << k;
    EXPECT_TRUE(rule["help"].contains("markdown"));
    EXPECT_TRUE(rule["properties"].contains("problem.severity"));
    EXPECT_TRUE(rule["properties"]["tags"].is_array());
  }
  auto& results = run.at("results");
  ASSERT_EQ(results.size(), 2u);
  auto& res = results[0];
  EXPECT_EQ(res.at("ruleId"), "NX2001");
  EXPECT_EQ(rules[res.at("ruleIndex").get<std::size_t>()]["id"], "NX2001");
  EXPECT_EQ(res.at("level"), "warning");
  auto& loc = res.at("locations")[0].at("physicalLocation");
  EXPECT_EQ(loc.at("artifactLocation").at("uri"), "src/drv.c");
  EXPECT_EQ(loc.at("artifactLocation").at("uriBaseId"), "%SRCROOT%");
  EXPECT_EQ(loc.at("region").at("startLine"), 12);
  EXPECT_EQ(loc.at("region").at("endColumn"), 42);
  std::string fp = res.at("partialFingerprints").at("primaryLocationLineHash");
  EXPECT_EQ(fp.size(), 18u);  // 16 hex digits ":1"
  EXPECT_EQ(results[1].at("level"), "note");
  EXPECT_TRUE(run.at("originalUriBaseIds").contains("%SRCROOT%"));

  // Stable across runs.
  std::ostringstream again;
  write_sarif(again, sample(), {});
  EXPECT_EQ(os.str(), again.str());
}

TEST(Report, ExitStatus) {
  scan::ScanResult r = sample();
  EXPECT_EQ(exit_status(r), 1);
  r.findings.erase(r.findings.begin());
  EXPECT_EQ(exit_status(r), 0);  // a note only
  r.diagnostics.push_back({{"x.c", 1, 1}, model::Severity::Error, "bad"});
  EXPECT_EQ(exit_status(r), 2);
}

// Issue 4 item 5: per image, units x configurations (declared order), each
// cell the mode with a legend number; one legend line per distinct source;
// "-" where the unit is not built; "?" for a conditional definition.
TEST(Report, ModesTablePerImage) {
  scan::ScanResult r;
  r.images.push_back({"drv", model::ImageKind::Driver, "drv/drv.vcxproj", {"Release|x64", "Release|ARM64"}});
  auto unit = [&](const char* file, const char* cfg, scan::NxMode m, const char* source, bool uncertain = false,
                  const char* image = "drv") {
    scan::UnitRecord u;
    u.file = file;
    u.config = cfg;
    u.image = image;
    u.mode = m;
    u.source = source;
    u.uncertain = uncertain;
    r.units.push_back(u);
  };
  // Sorted as the scanner sorts them (file, then configuration name).
  unit("drv/a.c", "Release|ARM64", scan::NxMode::Auto, "forced by ARM64");
  unit("drv/a.c", "Release|x64", scan::NxMode::OptIn, "POOL_NX_OPTIN=1 from drv/nx.props:5");
  unit("drv/b.c", "Release|ARM64", scan::NxMode::Auto, "forced by ARM64");
  unit("drv/c.c", "Release|x64", scan::NxMode::OptIn, "POOL_NX_OPTIN=1 from drv/c.c:2", true);
  unit("loose.c", "", scan::NxMode::None, "no opt-in macro in force", false, "<scan>");
  std::ostringstream os;
  write_modes(os, r);
  EXPECT_EQ(os.str(),
            "image drv (driver, drv/drv.vcxproj)\n"
            "  files in drv/\n"
            "  FILE  Release|x64  Release|ARM64\n"
            "  a.c   optin [1]    auto [2]\n"
            "  b.c   -            auto [2]\n"
            "  c.c   optin? [3]   -\n"
            "  [1] POOL_NX_OPTIN=1 from drv/nx.props:5\n"
            "  [2] forced by ARM64\n"
            "  [3] POOL_NX_OPTIN=1 from drv/c.c:2\n"
            "\n"
            "image <scan> (loose files)\n"
            "  FILE     MODE\n"
            "  loose.c  none [1]\n"
            "  [1] no opt-in macro in force\n"
            "\n"
            "(? = the deciding definition is inside an #if whose condition the scan cannot know)\n");
}

// Issue 4 item 5: "the same data appears in JSON and SARIF": every unit
// record field, and the images, are in runs[0].properties.
TEST(Report, SarifCarriesUnitsAndImages) {
  scan::ScanResult r = sample();
  r.units[0].image = "drv";
  r.units[0].source = "POOL_NX_OPTIN=1 from drv.vcxproj:9";
  r.units[0].latch = "src/drv.c:1";
  r.units[0].uncertain = true;
  r.images.push_back({"drv", model::ImageKind::Driver, "drv.vcxproj", {"Release|x64"}});
  std::ostringstream os;
  write_sarif(os, r, {});
  auto props = nlohmann::json::parse(os.str()).at("runs")[0].at("properties");
  const auto& u = props.at("units").at(0);
  EXPECT_EQ(u.at("file"), "src/drv.c");
  EXPECT_EQ(u.at("config"), "Release|x64");
  EXPECT_EQ(u.at("image"), "drv");
  EXPECT_EQ(u.at("arch"), "x64");
  EXPECT_EQ(u.at("mode"), "none");
  EXPECT_EQ(u.at("source"), "POOL_NX_OPTIN=1 from drv.vcxproj:9");
  EXPECT_EQ(u.at("latch"), "src/drv.c:1");
  EXPECT_EQ(u.at("conditional"), true);
  const auto& img = props.at("images").at(0);
  EXPECT_EQ(img.at("name"), "drv");
  EXPECT_EQ(img.at("kind"), "driver");
  EXPECT_EQ(img.at("buildFile"), "drv.vcxproj");
  EXPECT_EQ(img.at("configs"), nlohmann::json::array({"Release|x64"}));
}

}  // namespace
}  // namespace nxpool::report
