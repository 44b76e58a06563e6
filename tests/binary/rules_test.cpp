// NX4000-NX4006 on real driver images linked by lld-link, for x64 and ARM64
// (issue 14 "Done when": tests for each rule on x64 and ARM64 images).
// make_images.sh says which defect each variant carries.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "binary/binary_scan.h"
#include "images.h"
#include "rules/registry.h"

namespace nxpool::binary {
namespace {

class Rules : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (test::images().dir.empty()) GTEST_SKIP() << test::images().why;
  }
  scan::ScanResult scan(const std::string& variant, bool hvci = false) {
    std::string name = variant + "_" + GetParam() + ".sys";
    std::vector<std::uint8_t> bytes = test::read_bytes(test::images().dir + "/" + name);
    EXPECT_FALSE(bytes.empty()) << name;
    scan::ScanResult r;
    scan_image(bytes, name, BinaryOptions{hvci}, r);
    return r;
  }
  static std::vector<const scan::Finding*> of(const scan::ScanResult& r, const std::string& rule) {
    std::vector<const scan::Finding*> out;
    for (const auto& f : r.findings)
      if (f.rule == rule) out.push_back(&f);
    return out;
  }
  static std::set<std::string> rules_in(const scan::ScanResult& r) {
    std::set<std::string> s;
    for (const auto& f : r.findings) s.insert(f.rule);
    return s;
  }
};

TEST_P(Rules, CleanDriverHasOnlyTheFactsNote) {
  scan::ScanResult r = scan("clean");
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(rules_in(r), std::set<std::string>{"NX4000"});
  ASSERT_EQ(r.pe_images.size(), 1u);
  const ImageFacts& f = r.pe_images[0];
  EXPECT_EQ(f.machine, GetParam());
  EXPECT_EQ(f.subsystem, "native");
  EXPECT_EQ(f.kind, "driver");
  EXPECT_TRUE(f.nx_compat);
  EXPECT_FALSE(f.integrity_check);
  EXPECT_EQ(f.dlls, std::vector<std::string>{"ntoskrnl.exe"});
  auto note = of(r, "NX4000");
  ASSERT_EQ(note.size(), 1u);
  EXPECT_EQ(note[0]->severity, model::Severity::Note);
  EXPECT_NE(note[0]->message.find("NX compatible yes"), std::string::npos) << note[0]->message;
}

// NX4001: -section:.data,RWE.
TEST_P(Rules, WritableExecutableSection) {
  scan::ScanResult r = scan("rwe");
  auto f = of(r, "NX4001");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->message.find("section .data"), std::string::npos) << f[0]->message;
  EXPECT_NE(f[0]->message.find("0x2003"), std::string::npos);
  EXPECT_GT(f[0]->offset, 0u);  // the section header
  EXPECT_EQ(f[0]->severity, model::Severity::Warning);
  scan::ScanResult hvci = scan("rwe", true);  // --hvci
  ASSERT_EQ(of(hvci, "NX4001").size(), 1u);
  EXPECT_EQ(of(hvci, "NX4001")[0]->severity, model::Severity::Error);
  bool rwx = false;
  for (const auto& s : r.pe_images[0].sections) rwx = rwx || (s.name == ".data" && s.access == "rwx");
  EXPECT_TRUE(rwx);
}

// NX4001 for INIT: said separately.
TEST_P(Rules, WritableExecutableInitSection) {
  scan::ScanResult r = scan("init");
  auto f = of(r, "NX4001");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->message.find("section INIT"), std::string::npos) << f[0]->message;
  EXPECT_NE(f[0]->message.find("frees after the driver's initialisation"), std::string::npos) << f[0]->message;
}

// NX4002: -align:512.
TEST_P(Rules, SectionAlignmentBelowThePage) {
  scan::ScanResult r = scan("align");
  auto f = of(r, "NX4002");
  ASSERT_GE(f.size(), 2u);
  EXPECT_NE(f[0]->message.find("section alignment is 0x200"), std::string::npos) << f[0]->message;
  EXPECT_NE(f[1]->message.find("not page-aligned"), std::string::npos) << f[1]->message;
  EXPECT_TRUE(of(scan("clean"), "NX4002").empty());
}

// NX4003: -merge:.rdata=.text puts the IAT into code.
TEST_P(Rules, IatInExecutableSection) {
  scan::ScanResult r = scan("merge");
  auto f = of(r, "NX4003");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->message.find("executable section .text"), std::string::npos) << f[0]->message;
  EXPECT_NE(f[0]->message.find("0x2005"), std::string::npos);
}

// NX4004: a DIR64 relocation at page offset 0xffd.
TEST_P(Rules, RelocationStraddlingAPage) {
  scan::ScanResult r = scan("straddle");
  auto f = of(r, "NX4004");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->message.find("RVA 0x3ffd (8 bytes, section .data)"), std::string::npos) << f[0]->message;
}

// NX4005: MmMapIoSpace and MmAllocateContiguousMemory imported.
TEST_P(Rules, ImportsOfExecutableOnlyApis) {
  scan::ScanResult r = scan("legacy");
  auto f = of(r, "NX4005");
  std::set<std::string> apis;
  for (auto* x : f) apis.insert(x->message.substr(8, x->message.find(' ', 8) - 8));
  EXPECT_EQ(apis, (std::set<std::string>{"MmMapIoSpace", "MmAllocateContiguousMemory"}));
  EXPECT_TRUE(of(scan("clean"), "NX4005").empty());
}

// NX4006: every constant executable request of legacy.c, with the function
// it is in and the value; none in clean.c, which passes the NX values to
// the same APIs.
TEST_P(Rules, ConstantExecutableRequestsInCode) {
  scan::ScanResult r = scan("legacy");
  auto f = of(r, "NX4006");
  std::vector<std::string> got;
  for (auto* x : f) {
    std::string m = x->message;
    got.push_back(m.substr(0, m.find(" called")) + " in " + m.substr(m.find(" in ") + 4, m.find(" with") - m.find(" in ") - 4) +
                  " with " + m.substr(m.find(" with ") + 6, m.find(':', m.find(" with ")) - m.find(" with ") - 6));
    EXPECT_GT(x->offset, 0u);
  }
  std::sort(got.begin(), got.end());
  std::vector<std::string> want = {
      "ExAllocatePool2 in AllocFlags with pool flags 0x80 (POOL_FLAG_NON_PAGED_EXECUTE)",
      "ExAllocatePoolWithTag in AllocExec with pool type 0 (NonPagedPool / NonPagedPoolExecute)",
      "ExAllocatePoolWithTag in DriverEntry with pool type 4 (NonPagedPoolCacheAligned)",
      "ExInitializeNPagedLookasideList in InitList with flags 0x0 (no POOL_NX_ALLOCATION)",
      "MmAllocateContiguousNodeMemory in Contig with protection 0x40 (PAGE_EXECUTE*)",
      "MmMapIoSpaceEx in MapIo with protection 0x240 (PAGE_EXECUTE*)",
      "MmMapLockedPagesSpecifyCache in MapMdl with priority 0x10 (no MdlMappingNoExecute)",
  };
  EXPECT_EQ(got, want);
  EXPECT_TRUE(of(scan("clean"), "NX4006").empty());
}

// Every binary rule in the registry is produced by some test image.
TEST_P(Rules, EveryBinaryRuleIsExercised) {
  std::set<std::string> seen;
  for (const char* v : {"clean", "rwe", "init", "align", "merge", "straddle", "legacy"})
    for (const std::string& id : rules_in(scan(v))) seen.insert(id);
  for (const rules::RuleInfo& r : rules::all_rules()) {
    if (r.tags.find("binary") == std::string_view::npos) continue;
    EXPECT_TRUE(seen.count(std::string(r.id))) << r.id;
  }
}

INSTANTIATE_TEST_SUITE_P(Arch, Rules, ::testing::Values("x64", "arm64"));

}  // namespace
}  // namespace nxpool::binary
