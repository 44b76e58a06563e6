// Scanner: units from the build model vs loose files, images (spec §1.4),
// input errors (issue 5 "Done when": malformed input never crashes).
#include "scan/scanner.h"

#include <gtest/gtest.h>

#include <map>
#include <sys/stat.h>

#include "pp/kernel_headers.h"
#include "test_util.h"

namespace nxpool::scan {
namespace {
using nxpool::testing::TempDir;

std::vector<std::string> rules_of(const ScanResult& r) {
  std::vector<std::string> v;
  for (const Finding& f : r.findings) v.push_back(f.rule + "@" + std::to_string(f.line));
  return v;
}

TEST(Scanner, CompileUnitDefinitionsAndArchDecideMode) {
  TempDir d;
  std::string src = d.write("a.c", "#include <wdm.h>\nvoid f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 1, 1); }\n");
  model::BuildModel b;
  model::CompileUnit u;
  u.source = src;
  u.config = "Release|x64";
  u.arch = model::Arch::X64;
  u.definitions.push_back({"POOL_NX_OPTIN_AUTO", std::nullopt, false, {}});
  b.units.push_back(u);
  u.config = "Release|ARM64";
  u.arch = model::Arch::Arm64;
  u.definitions.clear();
  b.units.push_back(u);
  u.config = "Debug|x64";
  u.arch = model::Arch::X64;
  b.units.push_back(u);
  ScanResult r = scan(b, ScanOptions{});
  ASSERT_EQ(r.units.size(), 3u);
  EXPECT_EQ(r.units[0].config, "Debug|x64");
  EXPECT_EQ(r.units[0].mode, NxMode::None);
  EXPECT_EQ(r.units[1].mode, NxMode::Auto);  // Release|ARM64, forced
  EXPECT_EQ(r.units[2].mode, NxMode::Auto);  // Release|x64
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].config, "Debug|x64");
}

TEST(Scanner, PrecompiledHeaderIgnoresTextBeforeItsInclude) {
  // MSVC /Yu skips everything before the PCH include: a #define there has no
  // effect (issue 4's precompiled-header note; spec §2 "Per-file opt-out").
  TempDir d;
  d.write("Precomp.h", "#include <ntddk.h>\n");
  std::string src = d.write("a.c", "#define POOL_NX_OPTIN_AUTO 1\n#include \"precomp.h\"\n"
                                   "void f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 1, 1); }\n");
  model::BuildModel b;
  model::CompileUnit u;
  u.source = src;
  u.config = "pch";
  u.precompiled_header = "precomp.h";
  b.units.push_back(u);
  u.config = "nopch";
  u.precompiled_header.clear();
  b.units.push_back(u);
  ScanResult r = scan(b, ScanOptions{});
  ASSERT_EQ(r.units.size(), 2u);
  EXPECT_EQ(r.units[0].config, "nopch");
  EXPECT_EQ(r.units[0].mode, NxMode::Auto);
  EXPECT_EQ(r.units[1].mode, NxMode::None);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].config, "pch");
}

TEST(Scanner, OptinImageWithoutInitReportsNx1101AndSites) {
  TempDir d;
  d.write("a.c", "#include <wdm.h>\nvoid f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 1, 1); }\n");
  d.write("b.c", "#include <wdm.h>\nNTSTATUS DriverEntry(void) { return 0; }\n");
  ScanOptions o;
  o.paths = {d.path()};
  o.definitions.push_back({"POOL_NX_OPTIN", std::string("1"), false, {}});
  ScanResult r = scan({}, o);
  EXPECT_EQ(rules_of(r), (std::vector<std::string>{"NX1101@1", "NX2001@2"}));

  d.write("b.c", "#include <wdm.h>\nNTSTATUS DriverEntry(void) { ExInitializeDriverRuntime(DrvRtPoolNxOptIn); return 0; }\n");
  r = scan({}, o);
  EXPECT_TRUE(r.findings.empty()) << rules_of(r).size();
}

TEST(Scanner, HeadersScannedAloneOnlyWhenNotIncluded) {
  TempDir d;
  d.write("inc.h", "static void* a(void) { return ExAllocatePoolWithTag(NonPagedPool, 1, 1); }\n");
  d.write("lone.h", "static void* b(void) { return ExAllocatePoolWithTag(NonPagedPool, 1, 1); }\n");
  d.write("x.c", "#define POOL_NX_OPTIN_AUTO 1\n#include <wdm.h>\n#include \"inc.h\"\n");
  ScanOptions o;
  o.paths = {d.path()};
  ScanResult r = scan({}, o);
  ASSERT_EQ(r.findings.size(), 1u);  // inc.h is AUTO through x.c; lone.h is on its own
  EXPECT_NE(r.findings[0].file.find("lone.h"), std::string::npos);
  EXPECT_EQ(r.units.size(), 2u);
}

TEST(Scanner, BinaryUnreadableAndMissingInputs) {
  TempDir d;
  d.write("bin.c", std::string("\x7F" "ELF\0\0\0\0", 8));
  d.write("ok.c", "#include <wdm.h>\nvoid f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 1, 1); }\n");
  std::string locked = d.write("locked.c", "int x;\n");
  chmod(locked.c_str(), 0);
  ScanOptions o;
  o.paths = {d.path(), d.path() + "/missing.c"};
  ScanResult r = scan({}, o);
  EXPECT_EQ(r.findings.size(), 1u);  // ok.c still scanned
  bool binary_note = false, missing = false;
  for (const auto& g : r.diagnostics) {
    if (g.loc.file.find("bin.c") != std::string::npos && g.severity == model::Severity::Note) binary_note = true;
    if (g.loc.file.find("missing.c") != std::string::npos && g.severity == model::Severity::Error) missing = true;
  }
  EXPECT_TRUE(binary_note);
  EXPECT_TRUE(missing);
  if (geteuid() != 0) {
    bool unreadable = false;
    for (const auto& g : r.diagnostics)
      if (g.loc.file.find("locked.c") != std::string::npos && g.severity == model::Severity::Error) unreadable = true;
    EXPECT_TRUE(unreadable);
  }
}

TEST(Scanner, FindingsNameTheirMacroAndCondition) {
  // Issue 5 item 2: a finding from a macro body is at the use site and names
  // the macro; one in an unknown #if arm says under which condition it holds.
  TempDir d;
  d.write("a.c",
          "#include <wdm.h>\n"
          "#define ALLOC(n) ExAllocatePoolWithTag(NonPagedPool, (n), 'gaT1')\n"
          "void f(void)\n{\n"
          "#if DBG && (NTDDI_VERSION < NTDDI_WIN8)\n"
          "    p =   ALLOC(8);\n"
          "#endif\n}\n");
  ScanOptions o;
  o.paths = {d.path()};
  ScanResult r = scan({}, o);
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.line, 6u);
  EXPECT_EQ(f.column, 11u);  // the macro name, not the body's position
  EXPECT_EQ(f.macro, "ALLOC");
  EXPECT_EQ(f.condition, "DBG && (NTDDI_VERSION < NTDDI_WIN8)");
  EXPECT_NE(f.message.find("macro 'ALLOC'"), std::string::npos);
  EXPECT_NE(f.message.find("only when DBG && (NTDDI_VERSION < NTDDI_WIN8)"), std::string::npos);
}

TEST(Scanner, MacroChosenByUnknownConditionKeepsEveryArm) {
  // Peers doc trap: `#if (NTDDI_VERSION >= NTDDI_WIN8)` choosing the pool type.
  TempDir d;
  d.write("a.c",
          "#include <wdm.h>\n"
          "#if (NTDDI_VERSION >= NTDDI_WIN8)\n#define MY_POOL NonPagedPoolNx\n"
          "#else\n#define MY_POOL NonPagedPool\n#endif\n"
          "void f(void) { p = ExAllocatePoolWithTag(MY_POOL, 8, 'gaT1'); }\n");
  ScanOptions o;
  o.paths = {d.path()};
  ScanResult r = scan({}, o);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].line, 7u);
  EXPECT_EQ(r.findings[0].macro, "MY_POOL");
  EXPECT_EQ(r.findings[0].condition, "!(NTDDI_VERSION >= NTDDI_WIN8)");
}

TEST(Scanner, OutputIsDeterministic) {
  TempDir d;
  for (int i = 0; i < 5; ++i)
    d.write("f" + std::to_string(i) + ".c",
            "#include <wdm.h>\nvoid f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 1, 1); q = MmMapIoSpace(1,2,3); }\n");
  ScanOptions o;
  o.paths = {d.path()};
  ScanResult a = scan({}, o), b = scan({}, o);
  ASSERT_EQ(a.findings.size(), 10u);
  for (std::size_t i = 0; i < a.findings.size(); ++i) {
    EXPECT_EQ(a.findings[i].file, b.findings[i].file);
    EXPECT_EQ(a.findings[i].rule, b.findings[i].rule);
  }
  EXPECT_LT(a.findings[0].file, a.findings[9].file);
}

TEST(Scanner, TruncatedCommentIsPositionedError) {
  TempDir d;
  d.write("t.c", "#include <wdm.h>\nint a; /* never closed\n");
  ScanOptions o;
  o.paths = {d.path()};
  ScanResult r = scan({}, o);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].loc.line, 2);
  EXPECT_EQ(r.diagnostics[0].loc.column, 8);
  EXPECT_EQ(r.diagnostics[0].severity, model::Severity::Error);
}

// Configurations whose preprocessor input is the same except for where the
// definitions were written are preprocessed once (scanner.cpp input_key);
// each unit must still report its own origins (issue 4 item 5: "which file
// and line set the definition") and its own configuration in findings, and
// the result must not depend on -j.
TEST(Scanner, SharedPreprocessingKeepsEachUnitsOriginsAndConfig) {
  TempDir d;
  std::string src = d.write("a.c", "#include <wdm.h>\nvoid f(void) { p = ExAllocatePoolWithTag(NonPagedPool, 1, 1); }\n");
  std::string proj = d.path() + "/p.vcxproj";
  model::BuildModel b;
  model::CompileUnit u;
  u.source = src;
  u.arch = model::Arch::X64;
  u.image = "drv";
  u.config = "Debug|x64";
  u.definitions.push_back({"POOL_NX_OPTOUT", "1", false, {proj, 10, 7}});
  b.units.push_back(u);
  u.config = "Release|x64";
  u.definitions[0].origin.line = 20;
  b.units.push_back(u);
  u.config = "Test|x64";
  u.definitions[0].origin = {"<command line>", 0, 0};
  b.units.push_back(u);
  ScanOptions one;
  one.jobs = 1;
  ScanResult r = scan(b, one);
  ASSERT_EQ(r.units.size(), 3u);
  auto ends_with = [](const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
  };
  EXPECT_EQ(r.units[0].config, "Debug|x64");
  EXPECT_TRUE(ends_with(r.units[0].source, "p.vcxproj:10")) << r.units[0].source;
  EXPECT_EQ(r.units[1].config, "Release|x64");
  EXPECT_TRUE(ends_with(r.units[1].source, "p.vcxproj:20")) << r.units[1].source;
  EXPECT_EQ(r.units[2].source, "POOL_NX_OPTOUT=1 from the command line (-DPOOL_NX_OPTOUT=1)");
  // NX1003 (opt-out with nothing to opt out of) names each configuration.
  std::vector<std::string> nx1003;
  for (const Finding& f : r.findings)
    if (f.rule == "NX1003") nx1003.push_back(f.config + ": " + f.message);
  ASSERT_EQ(nx1003.size(), 3u);
  EXPECT_NE(nx1003[0].find("Debug|x64: "), std::string::npos);
  EXPECT_NE(nx1003[0].find("in configuration Debug|x64"), std::string::npos) << nx1003[0];
  EXPECT_NE(nx1003[1].find("in configuration Release|x64"), std::string::npos) << nx1003[1];
  EXPECT_NE(nx1003[2].find("(on the command line: the command line (-DPOOL_NX_OPTOUT=1))"), std::string::npos)
      << nx1003[2];

  ScanOptions two;
  two.jobs = 2;
  ScanResult r2 = scan(b, two);
  ASSERT_EQ(r2.units.size(), r.units.size());
  for (std::size_t i = 0; i < r.units.size(); ++i) EXPECT_EQ(r2.units[i].source, r.units[i].source);
  ASSERT_EQ(r2.findings.size(), r.findings.size());
  for (std::size_t i = 0; i < r.findings.size(); ++i) EXPECT_EQ(r2.findings[i].message, r.findings[i].message);
}

// Recall (spec §3, "every allocation that stays executable"): a driver's
// allocation macro defined in a header is found where a file uses it, even
// when that file has no pool word of its own (its text passes no literal
// prefilter until the header has defined the macro), in the main file and
// in a header using it after including the definition, on the first units
// and on later ones (where headers are replayed from directive skeletons).
TEST(Scanner, AllocationMacroFromAHeaderIsFoundWhereUsed) {
  TempDir d;
  d.write("alloc.h", "#pragma once\n#include <ntddk.h>\n#define DrvAlloc(n) ExAllocatePoolWithTag(NonPagedPool, n, 'vrDx')\n");
  d.write("util.h", "#pragma once\n#include \"alloc.h\"\nstatic void* util_get(void) { return DrvAlloc(8); }\n");
  model::BuildModel b;
  for (const char* name : {"a.c", "b.c", "c.c", "d.c"}) {
    model::CompileUnit u;
    u.source = d.write(name, "#include \"util.h\"\nvoid* f(void)\n{\n    return DrvAlloc(16);\n}\n");
    u.config = std::string("Release ") + name + "|x64";  // one per unit: a header's finding is kept per configuration
    u.arch = model::Arch::X64;
    b.units.push_back(u);
  }
  for (bool share : {true, false}) {
    ScanOptions o;
    o.jobs = 1;
    o.share_work = share;
    ScanResult r = scan(b, o);
    std::map<std::string, int> sites;
    for (const Finding& f : r.findings)
      if (f.rule == "NX2001") ++sites[f.file.substr(f.file.rfind('/') + 1) + ":" + std::to_string(f.line)];
    EXPECT_EQ(sites, (std::map<std::string, int>{{"a.c:4", 1}, {"b.c:4", 1}, {"c.c:4", 1}, {"d.c:4", 1}, {"util.h:3", 4}}))
        << "share_work=" << share;
  }
}

}  // namespace
// Issue 9 item 7: every WDK header that reaches wdm.h latches the mode (the
// closure of #include over the 10.0.22621 km/ headers), by any spelling of
// its path; a header that does not reach wdm.h does not.
TEST(Scanner, KernelHeaderListReachesWdm) {
  for (const char* h : {"wdm.h", "ntddk.h", "ntifs.h", "fltKernel.h", "dsm.h", "fwpsk.h", "kusbfn.h",
                        "kusbfnclasslib.h", "ndis.h", "netadaptercx.h", "ntdddump.h", "nthalext.h", "oprghdlr.h",
                        "portcls.h", "punknown.h", "unknown.h", "stdunk.h", "rx.h", "rxprocs.h", "strmini.h",
                        "ufxbase.h", "ufxclient.h", "netcx/kmdf/adapter/2.3/NetAdapterCx.h", "km\\StrMini.h"})
    EXPECT_TRUE(pp::is_kernel_header(h)) << h;
  for (const char* h : {"ntdef.h", "wsk.h", "ks.h", "windows.h", "storport.h", "fwpmk.h"})
    EXPECT_FALSE(pp::is_kernel_header(h)) << h;
}

}  // namespace nxpool::scan
