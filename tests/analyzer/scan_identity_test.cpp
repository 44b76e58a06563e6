// Output identity of the shared-work path (issue 15 "Done when": an
// output-identity test on the generated corpus guards the caches). Every
// scan here runs twice, once as shipped (directive skeletons, several
// workers) and once on the plain path (every inclusion lexed, one worker),
// and the reports must be byte-identical. No timing is measured.
#include <gtest/gtest.h>

#include <sstream>

#include "report/report.h"
#include "test_util.h"

namespace nxpool::scan {
namespace {
using nxpool::testing::TempDir;

std::string write_all(const ScanResult& r) {
  std::ostringstream os;
  report::write_json_lines(os, r);
  report::ReportOptions ro;
  ro.summary = true;
  ro.diagnostics = &os;
  report::write_text(os, r, ro);
  report::write_modes(os, r);
  return os.str();
}

std::string reports(const model::BuildModel& build, ScanOptions opt, bool share) {
  opt.share_work = share;
  opt.jobs = share ? 2 : 1;
  return write_all(scan(build, opt));
}

// Headers of every shape the directive walk distinguishes, none of which
// contains a relevant word unless its name says so.
void write_headers(const TempDir& d) {
  d.write("inc/guarded.h", "#ifndef GUARDED_H\n#define GUARDED_H\n#define HELPER(x) (x)\nint g;\n#endif\n");
  d.write("inc/guard_spaced.h", "/* c */\n#  ifndef SPACED_H\n   #  define SPACED_H 1\n#include \"once.h\"\n#endif\n");
  d.write("inc/once.h", "#pragma once\n#define ONCE_DEF 1\nstruct s { int a; };\n");
  d.write("inc/unguarded.h", "#ifdef FEATURE\n#undef WRAP\n#define WRAP(x) x\n#else\n#define WRAP(x) (x)\n#endif\n");
  d.write("inc/code_first.h", "int before;\n#ifndef CODE_FIRST_H\n#define CODE_FIRST_H\n#endif\n");
  d.write("inc/not_guard.h", "#ifndef NOT_GUARD_H\n#define NOT_GUARD_H\n#endif\n#define AFTER 1\n");
  d.write("inc/spliced.h", "#def\\\nine SPLICED \\\n  ONE + \\\n  TWO\n#if SPLICED\n#endif\n#\n# pragma warning(x)\n");
  d.write("inc/lexdiag.h", "#define Q 'unterminated\nchar c = 'x;\n#define STR \"open\n");
  d.write("inc/unterminated.h", "#if UNKNOWN_THING\n#define INSIDE 1\n");
  d.write("inc/stray.h", "#endif\n#else\n#define STRAY 1\n");
  d.write("inc/optin.h", "#ifdef WANT_OPTIN\n#define POOL_NX_OPTIN 1\n#elif defined(WANT_AUTO)\n"
                         "#define POOL_NX_OPTIN_AUTO 1\n#endif\n#include <wdm.h>\n");
  d.write("inc/pool_macros.h", "#ifndef POOL_MACROS_H\n#define POOL_MACROS_H\n#define MY_POOL NonPagedPool\n"
                               "#define ALLOC(n) ExAllocatePoolWithTag(MY_POOL, n, 'gaT')\n#endif\n");
  d.write("inc/nested.h", "#include \"guarded.h\"\n#include \"unguarded.h\"\n#if defined(FEATURE) && VERSION > 3\n"
                          "#include \"spliced.h\"\n#endif\n");
  d.write("inc/cycle_a.h", "#include \"cycle_b.h\"\n#define CYC_A 1\n");
  d.write("inc/cycle_b.h", "#ifndef CYC_A\n#include \"cycle_a.h\"\n#endif\n");
}

// Units: each main file includes a different mix, several times, and uses
// the macros the headers define around pool words.
std::string main_source(unsigned i) {
  static const char* const kHeaders[] = {"guarded.h", "guard_spaced.h", "once.h",       "unguarded.h",
                                         "code_first.h", "not_guard.h", "spliced.h",     "lexdiag.h",
                                         "stray.h",      "nested.h",    "cycle_a.h",     "pool_macros.h"};
  constexpr unsigned kCount = sizeof(kHeaders) / sizeof(kHeaders[0]);
  std::string s = "#include \"optin.h\"\n";
  for (unsigned k = 0; k < 6; ++k) s += std::string("#include \"") + kHeaders[(i * 7 + k * 5) % kCount] + "\"\n";
  s += "#include \"guarded.h\"\n#include \"unguarded.h\"\n#include \"pool_macros.h\"\n";
  s += "void f" + std::to_string(i) + "(void) {\n";
  s += "  void* p = ExAllocatePoolWithTag(WRAP(NonPagedPool), 16, 'x');\n";
  s += "  void* q = ALLOC(32);\n";
  if (i % 3 == 0) s += "#ifdef FEATURE\n  q = MmMapIoSpace(a, 4096, MmCached);\n#endif\n";
  if (i % 4 == 1) s += "#include \"unterminated.h\"\n";
  s += "  HELPER(NonPagedPoolNx);\n}\n";
  return s;
}

model::BuildModel generated_build(const TempDir& d) {
  write_headers(d);
  model::BuildModel build;
  constexpr unsigned kUnits = 24;
  for (unsigned i = 0; i < kUnits; ++i) {
    std::string src = d.write("drv" + std::to_string(i % 5) + "/f" + std::to_string(i) + ".c", main_source(i));
    for (unsigned c = 0; c < 3; ++c) {
      model::CompileUnit u;
      u.source = src;
      u.config = c == 0 ? "Debug|x64" : c == 1 ? "Release|x64" : "Release|ARM64";
      u.arch = c == 2 ? model::Arch::Arm64 : model::Arch::X64;
      u.image = "drv" + std::to_string(i % 5) + ".sys";
      u.include_dirs.push_back(d.path() + "/inc");
      if ((i + c) % 2) u.definitions.push_back({"FEATURE", std::nullopt, false, {}});
      if (i % 3 == 1) u.definitions.push_back({"WANT_OPTIN", std::nullopt, false, {}});
      if (i % 3 == 2) u.definitions.push_back({"WANT_AUTO", std::string("1"), false, {}});
      u.definitions.push_back({"VERSION", std::to_string(i % 6), false, {}});
      build.units.push_back(u);
    }
  }
  return build;
}

TEST(ScanIdentity, GeneratedTreeSharedPathMatchesPlainPath) {
  TempDir d;
  model::BuildModel build = generated_build(d);
  ScanOptions opt;
  opt.paths.push_back(d.path());
  std::string shared = reports(build, opt, true);
  std::string plain = reports(build, opt, false);
  EXPECT_NE(shared.find("NX"), std::string::npos);
  EXPECT_EQ(shared, plain);
}

// Runs finish in any order and merge through the reorder buffer in unit
// order; the scan that takes the model (and frees each unit's settings as
// it goes) reports the same as the one that copies it.
TEST(ScanIdentity, GeneratedTreeSameForAnyWorkerCountAndOwnedModel) {
  TempDir d;
  model::BuildModel build = generated_build(d);
  ScanOptions opt;
  opt.paths.push_back(d.path());
  opt.jobs = 1;
  std::string one = write_all(scan(build, opt));
  EXPECT_NE(one.find("NX"), std::string::npos);
  for (unsigned jobs : {2u, 3u, 7u}) {
    opt.jobs = jobs;
    EXPECT_EQ(write_all(scan(build, opt)), one) << jobs << " workers";
    model::BuildModel owned = build;
    EXPECT_EQ(write_all(scan(std::move(owned), opt)), one) << jobs << " workers, owned model";
  }
}

TEST(ScanIdentity, CaseCorpusSharedPathMatchesPlainPath) {
  ScanOptions opt;
  opt.paths.push_back(NXPOOL_CASES_DIR);
  model::BuildModel none;
  EXPECT_EQ(reports(none, opt, true), reports(none, opt, false));
}

}  // namespace
}  // namespace nxpool::scan
