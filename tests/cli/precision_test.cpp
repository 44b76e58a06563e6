// `nxpool scan` on small trees shaped like the real ones of issue 9 (each
// fixture is our own, written here): a correctly opted-in driver scans
// clean, user-mode code is "user", the command line does what it reads.
// Every test names the issue 9 item it checks.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../analyzer/test_util.h"
#include "cli_run.h"

namespace {
using nxpool::testing::TempDir;
namespace clitest = nxpool::clitest;

// nxpool's output with the JSON Lines records split by type.
struct CliRun : clitest::CliRun {
  std::vector<nlohmann::json> units, findings, diags;
};

// Runs nxpool in `cwd`; with --format json the records are split by type.
CliRun run(const std::string& cwd, const std::string& args) {
  CliRun r;
  static_cast<clitest::CliRun&>(r) = clitest::run(cwd, args);
  std::istringstream is(r.out);
  std::string l;
  while (std::getline(is, l)) {
    if (l.empty() || l[0] != '{') continue;
    nlohmann::json j = nlohmann::json::parse(l);
    if (j["type"] == "header") continue;  // the stream's first record (docs/json-lines.md)
    if (j["type"] == "unit") r.units.push_back(j);
    else if (j["type"] == "finding") r.findings.push_back(j);
    else r.diags.push_back(j);
  }
  return r;
}

// A vcxproj with the given configurations, properties and compiled files.
std::string vcxproj(const std::vector<std::string>& configs, const std::string& props,
                    const std::string& items, const std::string& defs = "") {
  std::string s = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                  "<Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\n"
                  "  <ItemGroup Label=\"ProjectConfigurations\">\n";
  for (const std::string& c : configs) {
    std::string conf = c.substr(0, c.find('|')), plat = c.substr(c.find('|') + 1);
    s += "    <ProjectConfiguration Include=\"" + c + "\"><Configuration>" + conf + "</Configuration><Platform>" +
         plat + "</Platform></ProjectConfiguration>\n";
  }
  s += "  </ItemGroup>\n  <PropertyGroup Label=\"Configuration\">\n" + props + "  </PropertyGroup>\n";
  if (!defs.empty())
    s += "  <ItemDefinitionGroup><ClCompile><PreprocessorDefinitions>" + defs +
         ";%(PreprocessorDefinitions)</PreprocessorDefinitions></ClCompile></ItemDefinitionGroup>\n";
  return s + "  <ItemGroup>\n" + items + "  </ItemGroup>\n</Project>\n";
}

const char* kKernelProps =
    "    <ConfigurationType>Driver</ConfigurationType>\n"
    "    <PlatformToolset>WindowsKernelModeDriver10.0</PlatformToolset>\n";

const char* kExecutable =
    "#include <ntddk.h>\n"
    "void *grab(void) { return ExAllocatePoolWithTag(NonPagedPool, 64, 'gaT1'); }\n";

// Issue 9 item 9: `--config X` takes one value and never the paths after it.
TEST(Precision, ConfigDoesNotSwallowPaths) {
  TempDir d;
  d.write("driver/drv.vcxproj", vcxproj({"Debug|x64", "Release|x64"}, kKernelProps,
                                        "    <ClCompile Include=\"drv.c\" />\n"));
  d.write("driver/drv.c", kExecutable);
  d.write("other/loose.c", kExecutable);
  CliRun r = run(d.path(), "scan --format json --config \"Release|x64\" driver/");
  EXPECT_EQ(r.status, 1) << r.err;
  ASSERT_EQ(r.units.size(), 1u) << r.out;
  EXPECT_EQ(r.units[0]["file"], "driver/drv.c");
  EXPECT_EQ(r.units[0]["config"], "Release|x64");
  CliRun p = run(d.path(), "scan --format json --project driver/drv.vcxproj driver/");
  EXPECT_EQ(p.units.size(), 2u) << p.out << p.err;
  for (const auto& u : p.units) EXPECT_EQ(u["file"], "driver/drv.c");
}

// Issue 9 item 9: a configuration no project has is an error that lists the
// ones there are (exit 2), not a scan without the project's definitions.
TEST(Precision, UnknownConfigIsAnErrorListingTheKnownOnes) {
  TempDir d;
  d.write("driver/drv.vcxproj", vcxproj({"Debug|x64", "Release|ARM64"}, kKernelProps,
                                        "    <ClCompile Include=\"drv.c\" />\n"));
  d.write("driver/drv.c", kExecutable);
  CliRun r = run(d.path(), "scan --format json --config \"Release|x64\" driver/");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.units.empty()) << r.out;
  EXPECT_NE(r.err.find("Release|x64"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Debug|x64"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Release|ARM64"), std::string::npos) << r.err;
}


// Issue 9 item 1: a .c that the project excludes from the build but that a
// unit #includes is part of that unit (its OPTIN mode), not a loose unit
// with no definitions: no NX2001 in the shared header, exit 0.
TEST(Precision, IncludedSourceIsPartOfItsUnit) {
  TempDir d;
  d.write("driver/drv.vcxproj",
          vcxproj({"Release|x64"}, kKernelProps,
                  "    <ClCompile Include=\"main.c\" />\n"
                  "    <ClCompile Include=\"selftest\\alloc.c\"><ExcludedFromBuild>true</ExcludedFromBuild></ClCompile>\n",
                  "POOL_NX_OPTIN=1"));
  d.write("driver/pool.h",
          "#pragma once\n#include <ntddk.h>\n"
          "static __inline void *pool_get(SIZE_T n) { return ExAllocatePoolWithTag(NonPagedPool, n, 'gaT1'); }\n");
  d.write("driver/selftest/alloc.c", "#include \"../pool.h\"\nstatic int selftest(void) { return pool_get(8) != 0; }\n");
  d.write("driver/main.c",
          "#include \"pool.h\"\n"
          "#include \"selftest/alloc.c\"\n"
          "NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)\n"
          "{\n    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);\n    return selftest() ? 0 : 1;\n}\n");
  CliRun r = run(d.path(), "scan --format json .");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(r.findings.empty()) << r.out;
  ASSERT_EQ(r.units.size(), 1u) << r.out;
  EXPECT_EQ(r.units[0]["file"], "driver/main.c");
  EXPECT_EQ(r.units[0]["mode"], "optin");
}

// Issue 9 item 1: files no unit reaches are still scanned, and the user is
// told once per directory, with the hint to pass a compilation database
// where a CMakeLists.txt says there is one to make.
TEST(Precision, LooseFilesAreAnnouncedOncePerDirectory) {
  TempDir d;
  d.write("driver/drv.vcxproj", vcxproj({"Release|x64"}, kKernelProps, "    <ClCompile Include=\"main.c\" />\n",
                                        "POOL_NX_OPTIN_AUTO=1"));
  d.write("driver/main.c", "#include <ntddk.h>\nint x;\n");
  d.write("tools/CMakeLists.txt", "add_library(t a.c b.c)\n");
  d.write("tools/a.c", kExecutable);
  d.write("tools/b.c", "int b;\n");
  d.write("misc/c.c", "int c;\n");
  CliRun r = run(d.path(), "scan --format json .");
  EXPECT_EQ(r.status, 1) << r.out;  // tools/a.c is still scanned (as kernel code, no definitions)
  ASSERT_EQ(r.findings.size(), 1u) << r.out;
  EXPECT_EQ(r.findings[0]["file"], "tools/a.c");
  int tools = 0, misc = 0;
  for (const auto& j : r.diags) {
    std::string m = j["message"], f = j["file"];
    if (m.find("to no build unit") == std::string::npos) continue;
    EXPECT_EQ(j["severity"], "note");
    if (f == "tools") {
      ++tools;
      EXPECT_NE(m.find("2 files"), std::string::npos) << m;
      EXPECT_NE(m.find("x64 kernel code with no definitions"), std::string::npos) << m;
      EXPECT_NE(m.find("-p compile_commands.json"), std::string::npos) << m;
    }
    if (f == "misc") {
      ++misc;
      EXPECT_EQ(m.find("compile_commands"), std::string::npos) << m;
    }
  }
  EXPECT_EQ(tools, 1) << r.out;
  EXPECT_EQ(misc, 1) << r.out;
}


// Issue 9 item 2: UMDF drivers, applications and DLLs are user-mode code:
// "mode":"user" for every configuration (ARM64 too: no AUTO forcing) and no
// NX2xxx for pool APIs, even in a source the kernel driver shares.
TEST(Precision, UserModeProjectsAreUser) {
  TempDir d;
  const std::string items = "    <ClCompile Include=\"..\\shared\\dev.c\" />\n";
  d.write("kmdf/kmdf.vcxproj", vcxproj({"Release|x64", "Release|ARM64"}, kKernelProps, items, "POOL_NX_OPTIN_AUTO=1"));
  d.write("umdf/umdf.vcxproj", vcxproj({"Release|x64", "Release|ARM64"},
                                       "    <ConfigurationType>DynamicLibrary</ConfigurationType>\n"
                                       "    <DriverType>UMDF</DriverType>\n",
                                       items));
  d.write("app/app.vcxproj", vcxproj({"Release|x64"}, "    <ConfigurationType>Application</ConfigurationType>\n",
                                     "    <ClCompile Include=\"tool.c\" />\n"));
  d.write("app/tool.c", "#include <windows.h>\nvoid *f(void) { return VirtualAlloc(0, 4096, MEM_COMMIT, PAGE_EXECUTE_READWRITE); }\n");
  d.write("shared/dev.c", kExecutable);
  CliRun r = run(d.path(), "scan --format json .");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(r.findings.empty()) << r.out;
  ASSERT_EQ(r.units.size(), 5u) << r.out;
  int user = 0;
  for (const auto& u : r.units) {
    if (u["image"] == "kmdf") {
      EXPECT_EQ(u["mode"], "auto");
      continue;
    }
    ++user;
    EXPECT_EQ(u["mode"], "user") << u.dump();
    EXPECT_EQ(u["latch"], "") << u.dump();
  }
  EXPECT_EQ(user, 3);
}


// Issue 9 item 3: the target version is per configuration. A Windows 10
// target decides `#if NTDDI_VERSION >= NTDDI_WIN8` (the #else arm is dead);
// a Windows 7 configuration of the same project takes the #else arm.
TEST(Precision, TargetVersionDecidesNtddiArms) {
  TempDir d;
  std::string props = std::string(kKernelProps) +
                      "  </PropertyGroup>\n"
                      "  <PropertyGroup Condition=\"'$(Configuration)'=='Legacy'\">\n"
                      "    <TargetVersion>Windows7</TargetVersion>\n"
                      "  </PropertyGroup>\n"
                      "  <PropertyGroup Condition=\"'$(Configuration)'=='Release'\">\n"
                      "    <TargetVersion>Windows10</TargetVersion>\n";
  d.write("drv/drv.vcxproj", vcxproj({"Release|x64", "Legacy|x64"}, props, "    <ClCompile Include=\"map.c\" />\n"));
  d.write("drv/map.c",
          "#include <ntddk.h>\n"
          "void *get(void) {\n"
          "#if (NTDDI_VERSION >= NTDDI_WIN8)\n"
          "    return ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'gaT1');\n"
          "#else\n"
          "    return ExAllocatePoolWithTag(NonPagedPool, 8, 'gaT1');\n"
          "#endif\n"
          "}\n");
  CliRun r = run(d.path(), "scan --format json .");
  ASSERT_EQ(r.findings.size(), 1u) << r.out;
  EXPECT_EQ(r.findings[0]["rule"], "NX2001");
  EXPECT_EQ(r.findings[0]["line"], 6);
  EXPECT_EQ(r.findings[0]["config"], "Legacy|x64");
  EXPECT_EQ(r.findings[0]["condition"], "") << r.out;  // decided, not "only when …"
}

// Issue 9 item 5: a unit that reaches no kernel header still reports the
// mode its definitions select (optin from a props file; auto forced on
// ARM64), marked as not latched by a kernel header.
TEST(Precision, UnitWithoutKernelHeaderReportsItsDefinitions) {
  TempDir d;
  d.write("build/nx.props",
          "<?xml version=\"1.0\"?>\n<Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\n"
          "  <ItemDefinitionGroup><ClCompile><PreprocessorDefinitions>POOL_NX_OPTIN=1;%(PreprocessorDefinitions)"
          "</PreprocessorDefinitions></ClCompile></ItemDefinitionGroup>\n</Project>\n");
  d.write("drv/drv.vcxproj", vcxproj({"Release|x64", "Release|ARM64"},
                                     std::string(kKernelProps) + "  </PropertyGroup>\n"
                                     "  <ImportGroup><Import Project=\"..\\build\\nx.props\" /></ImportGroup>\n"
                                     "  <PropertyGroup>\n",
                                     "    <ClCompile Include=\"inject.cpp\" />\n"));
  d.write("drv/inject.cpp", "static int helper(int x) { return x + 1; }\n");
  CliRun r = run(d.path(), "scan --format json .");
  ASSERT_EQ(r.units.size(), 2u) << r.out;
  for (const auto& u : r.units) {
    std::string source = u["source"];
    EXPECT_EQ(u["latch"], "");
    EXPECT_NE(source.find("not latched"), std::string::npos) << source;
    EXPECT_EQ(source.find("no opt-in macro in force"), std::string::npos) << source;
    EXPECT_EQ(u["mode"], u["arch"] == "arm64" ? "auto" : "optin") << u.dump();
  }
}


// Issue 9 item 4: VC++ Directories (IncludePath, ExternalIncludePath), set in
// a props file, are include paths: the precompiled header found only there
// opts the unit in before the kernel header.
TEST(Precision, VcDirectoriesAreIncludePaths) {
  TempDir d;
  d.write("common/dirs.props",
          "<?xml version=\"1.0\"?>\n<Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\n"
          "  <PropertyGroup><IncludePath>$(MSBuildThisFileDirectory)..\\inc;$(IncludePath)</IncludePath>\n"
          "  <ExternalIncludePath>$(MSBuildThisFileDirectory)..\\ext;$(ExternalIncludePath)</ExternalIncludePath>"
          "</PropertyGroup>\n</Project>\n");
  d.write("inc/precomp.h", "#define POOL_NX_OPTIN 1\n#include <ntddk.h>\n#include \"extra.h\"\n");
  d.write("ext/extra.h", "#define EXTRA_POOL NonPagedPoolExecute\n");
  d.write("drv/drv.vcxproj", vcxproj({"Release|x64"},
                                     std::string(kKernelProps) + "  </PropertyGroup>\n"
                                     "  <ImportGroup><Import Project=\"..\\common\\dirs.props\" /></ImportGroup>\n"
                                     "  <PropertyGroup>\n",
                                     "    <ClCompile Include=\"drv.c\" />\n"));
  d.write("drv/drv.c",
          "#include \"precomp.h\"\n"
          "NTSTATUS DriverEntry(PDRIVER_OBJECT o, PUNICODE_STRING r)\n"
          "{\n    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);\n"
          "    return ExAllocatePoolWithTag(EXTRA_POOL, 8, 'gaT1') ? 0 : 1;\n}\n");
  CliRun r = run(d.path(), "scan --format json .");
  ASSERT_EQ(r.units.size(), 1u) << r.out;
  EXPECT_EQ(r.units[0]["mode"], "optin") << r.out;
  ASSERT_EQ(r.findings.size(), 1u) << r.out;  // found through ExternalIncludePath
  EXPECT_EQ(r.findings[0]["rule"], "NX2002");
  for (const auto& j : r.diags) EXPECT_EQ(j["severity"], "note") << j.dump();
}


// Issue 9 item 10: a missing import that many projects share (a submodule
// not checked out) is one error with a count, still exit 2.
TEST(Precision, MissingSharedImportIsOneErrorWithACount) {
  TempDir d;
  d.write("common.props",
          "<?xml version=\"1.0\"?>\n<Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\n"
          "  <Import Project=\"sub\\missing.props\" />\n</Project>\n");
  for (const char* n : {"a", "b", "c"})
    d.write(std::string(n) + "/" + n + ".vcxproj",
            vcxproj({"Release|x64"}, std::string(kKernelProps) + "  </PropertyGroup>\n"
                                     "  <Import Project=\"..\\common.props\" />\n  <PropertyGroup>\n",
                    "    <ClCompile Include=\"x.c\" />\n"));
  for (const char* n : {"a", "b", "c"}) d.write(std::string(n) + "/x.c", "int x;\n");
  CliRun r = run(d.path(), "scan --format json .");
  EXPECT_EQ(r.status, 2);
  int errors = 0;
  for (const auto& j : r.diags)
    if (j["severity"] == "error") {
      ++errors;
      EXPECT_EQ(j["file"], "common.props") << j.dump();
      EXPECT_NE(std::string(j["message"]).find("3 projects"), std::string::npos) << j.dump();
    }
  EXPECT_EQ(errors, 1) << r.out;
}

}  // namespace
