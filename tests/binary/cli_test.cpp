// `nxpool scan` on PE images (issue 14): recognised by content, every
// output format, exit codes, and corrupt inputs as clean error records
// while the other inputs are still scanned.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <map>
#include <sstream>

#include "images.h"
#include "tiny_pe.h"

namespace nxpool::binary {
namespace {

namespace fs = std::filesystem;

struct Result {
  int status = -1;
  std::string out;
};

Result nxpool(const std::string& args) {
  Result r;
  std::string cmd = std::string(NXPOOL_BIN) + " scan " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (test::images().dir.empty()) GTEST_SKIP() << test::images().why;
    dir_ = test::images().dir;
  }
  std::string img(const std::string& name) { return dir_ + "/" + name; }
  std::string scratch(const std::string& name) {
    fs::create_directories(dir_ + "/scratch");
    return dir_ + "/scratch/" + name;
  }
  std::string dir_;
};

std::vector<nlohmann::json> lines(const std::string& out) {
  std::vector<nlohmann::json> v;
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) v.push_back(nlohmann::json::parse(l));
  return v;
}

TEST_F(Cli, TextFormatNamesFileAndOffsetAndExitsOne) {
  Result r = nxpool(img("rwe_x64.sys"));
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("rwe_x64.sys:0x1d0: warning: section .data"), std::string::npos) << r.out;
  Result m = nxpool("--format msvc " + img("rwe_x64.sys"));
  EXPECT_NE(m.out.find("rwe_x64.sys:0x1d0: warning NX4001: section .data"), std::string::npos) << m.out;
}

TEST_F(Cli, CleanImageExitsZero) {
  Result r = nxpool(img("clean_arm64.sys"));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("note: arm64 driver image"), std::string::npos) << r.out;
}

// "by content, not name": a PE image without a PE extension.
TEST_F(Cli, RecognisedByContent) {
  std::string renamed = scratch("driver.bin");
  fs::copy_file(img("merge_x64.sys"), renamed, fs::copy_options::overwrite_existing);
  Result r = nxpool(renamed);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("[NX4003]"), std::string::npos) << r.out;
}

TEST_F(Cli, JsonLinesImageRecordAndOffsets) {
  Result r = nxpool("--format json " + img("legacy_x64.sys"));
  EXPECT_EQ(r.status, 1) << r.out;
  int images = 0, nx4006 = 0;
  for (const auto& j : lines(r.out)) {
    if (j["type"] == "image") {
      ++images;
      EXPECT_EQ(j["machine"], "x64");
      EXPECT_EQ(j["subsystem"], "native");
      EXPECT_EQ(j["kind"], "driver");
      EXPECT_EQ(j["nx_compat"], true);
      EXPECT_EQ(j["section_alignment"], 0x1000);
      ASSERT_TRUE(j["sections"].is_array());
      EXPECT_EQ(j["sections"][0]["name"], ".text");
      EXPECT_EQ(j["sections"][0]["access"], "r-x");
    }
    if (j["type"] == "finding" && j["rule"] == "NX4006") {
      ++nx4006;
      EXPECT_GT(j["offset"].template get<std::uint64_t>(), 0u);
      EXPECT_EQ(j["line"], 0);
    }
  }
  EXPECT_EQ(images, 1);
  EXPECT_EQ(nx4006, 7);
}

TEST_F(Cli, SarifHasVerifierCodeAndByteOffset) {
  Result r = nxpool("--format sarif " + img("merge_arm64.sys"));
  EXPECT_EQ(r.status, 1) << r.out;
  auto doc = nlohmann::json::parse(r.out);
  const auto& run = doc["runs"][0];
  bool rule_ok = false;
  for (const auto& rule : run["tool"]["driver"]["rules"])
    if (rule["id"] == "NX4003")
      rule_ok = rule["properties"]["verifierCode"] == "0xC4/0x2005" &&
                rule["properties"]["readinessCounter"] == "IAT in Executable Section";
  EXPECT_TRUE(rule_ok);
  bool result_ok = false;
  for (const auto& res : run["results"])
    if (res["ruleId"] == "NX4003")
      result_ok = res["locations"][0]["physicalLocation"]["region"].contains("byteOffset") &&
                  res["properties"]["verifierCode"] == "0xC4/0x2005";
  EXPECT_TRUE(result_ok) << r.out;
  EXPECT_EQ(run["properties"]["peImages"].size(), 1u);
}

// Issue 14: "a truncated or corrupt file is a clean error record (exit 2)
// while the other inputs are still scanned".
TEST_F(Cli, CorruptImagesAreErrorsAndTheRestIsScanned) {
  std::string empty = scratch("empty.sys");
  std::ofstream(empty).close();
  std::string truncated = scratch("truncated.sys");
  {
    auto b = test::read_bytes(img("clean_x64.sys"));
    std::ofstream(truncated, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), 0x100);
  }
  std::string loop = scratch("loop.dll");
  {
    test::TinyPe pe;
    for (int i = 0; i < 20; ++i) pe.b[test::TinyPe::kRdata + 20 + i] = pe.b[test::TinyPe::kRdata + i];
    std::ofstream(loop, std::ios::binary).write(reinterpret_cast<const char*>(pe.b.data()), static_cast<std::streamsize>(pe.b.size()));
  }
  std::string source = scratch("drv.c");
  std::ofstream(source) << "#include <wdm.h>\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'x'); }\n";
  Result r = nxpool("--format json " + empty + " " + truncated + " " + loop + " " + img("rwe_arm64.sys") + " " + source);
  EXPECT_EQ(r.status, 2) << r.out;
  std::map<std::string, std::string> errors;
  bool nx4001 = false, source_scanned = false;
  for (const auto& j : lines(r.out)) {
    if (j["type"] == "error") errors[fs::path(j["file"].get<std::string>()).filename().string()] = j["message"];
    if (j["type"] == "finding" && j["rule"] == "NX4001") nx4001 = true;
    if (j["type"] == "unit" && j["file"].get<std::string>().find("drv.c") != std::string::npos) source_scanned = true;
  }
  ASSERT_EQ(errors.size(), 3u) << r.out;
  EXPECT_NE(errors["empty.sys"].find("0 bytes"), std::string::npos) << errors["empty.sys"];
  EXPECT_NE(errors["truncated.sys"].find("offset 0x"), std::string::npos) << errors["truncated.sys"];
  EXPECT_NE(errors["loop.dll"].find("loop"), std::string::npos) << errors["loop.dll"];
  EXPECT_TRUE(nx4001);
  EXPECT_TRUE(source_scanned);
  Result t = nxpool(empty);
  EXPECT_EQ(t.status, 2);
  EXPECT_NE(t.out.find("empty.sys: error: offset 0x0: empty file"), std::string::npos) << t.out;
}

TEST_F(Cli, DirectoryWalkPicksUpImages) {
  std::string d = scratch("tree");
  fs::create_directories(d + "/x64");
  fs::copy_file(img("straddle_x64.sys"), d + "/x64/s.sys", fs::copy_options::overwrite_existing);
  Result r = nxpool(d);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("[NX4004]"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace nxpool::binary
