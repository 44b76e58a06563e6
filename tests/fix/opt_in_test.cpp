// `nxpool fix --opt-in` (issue 12): the build-file editors byte for byte
// (a .vcxproj with several configurations, CRLF, a BOM, tabs and single
// quotes; a shared .props; a `sources` file with continuation lines;
// DriverEntry), then the whole command on small trees: dry-run diff ==
// real run, idempotent, and the rescan sees the new mode.
#include <gtest/gtest.h>

#include "fix/opt_in.h"
#include "fix_check.h"

namespace {
using namespace nxpool::fix;
using namespace nxpool::testing::fixcheck;
using nxpool::testing::nxpool;
using nxpool::testing::TempDir;

std::string apply_all(const std::string& text, std::vector<Edit> edits) {
  EXPECT_TRUE(normalize_edits(edits));
  return apply_edits(text, edits);
}

const std::string kProject =
    "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
    "<Project DefaultTargets=\"Build\" xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\r\n"
    "\t<ItemGroup Label=\"ProjectConfigurations\">\r\n"
    "\t\t<ProjectConfiguration Include=\"Debug|x64\"><Configuration>Debug</Configuration><Platform>x64</Platform></ProjectConfiguration>\r\n"
    "\t\t<ProjectConfiguration Include=\"Release|x64\"><Configuration>Release</Configuration><Platform>x64</Platform></ProjectConfiguration>\r\n"
    "\t</ItemGroup>\r\n"
    "\t<PropertyGroup Label=\"Configuration\"><ConfigurationType>Driver</ConfigurationType>"
    "<PlatformToolset>WindowsKernelModeDriver10.0</PlatformToolset><TargetVersion>Windows10</TargetVersion></PropertyGroup>\r\n"
    "\t<!-- <ItemDefinitionGroup><ClCompile></ClCompile></ItemDefinitionGroup> -->\r\n"
    "\t<ItemDefinitionGroup Condition = \"'$(Configuration)|$(Platform)'=='Debug|x64'\">\r\n"
    "\t\t<ClCompile>\r\n"
    "\t\t\t<PreprocessorDefinitions>DBG=1;%(PreprocessorDefinitions)</PreprocessorDefinitions>\r\n"
    "\t\t</ClCompile>\r\n"
    "\t</ItemDefinitionGroup>\r\n"
    "\t<ItemDefinitionGroup Condition=\"'$(Configuration)|$(Platform)'=='release|x64'\">\r\n"
    "\t\t<ClCompile>\r\n"
    "\t\t\t<WarningLevel>Level4</WarningLevel>\r\n"
    "\t\t</ClCompile>\r\n"
    "\t\t<Link><AdditionalDependencies>x.lib</AdditionalDependencies></Link>\r\n"
    "\t</ItemDefinitionGroup>\r\n"
    "\t<ItemGroup><ClCompile Include=\"driver.c\" /></ItemGroup>\r\n"
    "</Project>\r\n";

TEST(OptInMsbuild, EveryConfigurationsDefinitionsKeepingTheFilesOwnFormatting) {
  std::string why;
  auto e = msbuild_opt_in(kProject, "POOL_NX_OPTIN_AUTO=1", why);
  ASSERT_TRUE(e) << why;
  std::string want = kProject;
  auto at = [&](const std::string& s) { return want.find(s); };
  want.insert(at("<PreprocessorDefinitions>DBG") + 25, "POOL_NX_OPTIN_AUTO=1;");
  want.insert(at("<WarningLevel>") - 5,
              "\r\n\t\t\t<PreprocessorDefinitions>POOL_NX_OPTIN_AUTO=1;%(PreprocessorDefinitions)</PreprocessorDefinitions>");
  EXPECT_EQ(apply_all(kProject, *e), want);
}

TEST(OptInMsbuild, AConfigurationWithoutClCompileSettingsStopsTheEdit) {
  std::string p = kProject;
  p.replace(p.find("'release|x64'"), 13, "'Release|ARM64'");
  std::string why;
  EXPECT_FALSE(msbuild_opt_in(p, "POOL_NX_OPTIN_AUTO=1", why));
  EXPECT_NE(why.find("Release|x64"), std::string::npos) << why;
}

TEST(OptInSources, ContinuationLinesAndTheFilesSpelling) {
  std::string s = "TARGETNAME=drv\r\nC_DEFINES = $(C_DEFINES) /DNDIS60=1 \\\r\n            /DFOO  \r\nSOURCES=drv.c\r\n";
  EXPECT_EQ(apply_all(s, sources_opt_in(s, "POOL_NX_OPTIN_AUTO=1")),
            "TARGETNAME=drv\r\nC_DEFINES = $(C_DEFINES) /DNDIS60=1 \\\r\n            /DFOO /DPOOL_NX_OPTIN_AUTO=1  \r\nSOURCES=drv.c\r\n");
  std::string none = "TARGETNAME=drv\nSOURCES=drv.c";
  EXPECT_EQ(apply_all(none, sources_opt_in(none, "POOL_NX_OPTIN=1")),
            "TARGETNAME=drv\nSOURCES=drv.c\nC_DEFINES = $(C_DEFINES) -DPOOL_NX_OPTIN=1\n");
}

TEST(OptInDriverEntry, FirstStatementIndentedLikeTheBody) {
  std::string c = "NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r);\r\n"
                  "NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)\r\n{\r\n\tNTSTATUS s = 0;\r\n\treturn s;\r\n}\r\n";
  std::string why;
  auto e = driver_entry_init(c, why);
  ASSERT_TRUE(e) << why;
  std::string want = c;
  want.insert(want.find("\tNTSTATUS s"), "\tExInitializeDriverRuntime(DrvRtPoolNxOptIn);\r\n");
  EXPECT_EQ(apply_all(c, std::vector<Edit>{*e}), want);
  EXPECT_FALSE(driver_entry_init(want, why));
  EXPECT_NE(why.find("already"), std::string::npos);
}

TEST(OptInCli, ProjectsSharingAPropsFileAreOptedInThere) {
  const std::string props = "<Project>\n  <ItemDefinitionGroup>\n    <ClCompile>\n"
                            "      <PreprocessorDefinitions>SHARED=1;%(PreprocessorDefinitions)</PreprocessorDefinitions>\n"
                            "    </ClCompile>\n  </ItemDefinitionGroup>\n</Project>\n";
  auto project = [](const std::string& src) {
    return "<Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\n"
           "  <ItemGroup><ProjectConfiguration Include=\"Release|x64\"><Configuration>Release</Configuration>"
           "<Platform>x64</Platform></ProjectConfiguration></ItemGroup>\n"
           "  <PropertyGroup><ConfigurationType>Driver</ConfigurationType>"
           "<PlatformToolset>WindowsKernelModeDriver10.0</PlatformToolset></PropertyGroup>\n"
           "  <ImportGroup Label=\"PropertySheets\"><Import Project=\"..\\shared.props\" /></ImportGroup>\n"
           "  <ItemGroup><ClCompile Include=\"" + src + "\" /></ItemGroup>\n</Project>\n";
  };
  const std::string drv = "#include <ntddk.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)\n{\n"
                          "    (void)d; (void)r;\n    return 0;\n}\n";
  Tree before{{"shared.props", props}, {"a/a.vcxproj", project("a.c")}, {"a/a.c", drv},
              {"b/b.vcxproj", project("b.c")}, {"b/b.c", drv}};
  Tree after = before;
  after["shared.props"].insert(after["shared.props"].find("SHARED=1"), "POOL_NX_OPTIN=1;");
  std::string with_init = drv;
  with_init.insert(with_init.find("    (void)d"), "    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);\n");
  after["a/a.c"] = after["b/b.c"] = with_init;
  check_fix(before, after, "--opt-in optin");
  TempDir d;
  write_tree(d, after);
  std::string modes = nxpool(d.path(), "scan --modes .").out;
  EXPECT_GE(count(modes, "optin"), 2u) << modes;
  EXPECT_EQ(count(modes, "none"), 0u) << modes;
}

TEST(OptInCli, SourcesFileAndDryRunDiff) {
  Tree before{{"sources", "TARGETNAME=drv\nTARGETTYPE=DRIVER\nC_DEFINES=$(C_DEFINES) -DX=1 \\\n  -DY=2\nSOURCES=drv.c\n"},
              {"drv.c", "#include <ntddk.h>\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPool, 8, 'a'); }\n"}};
  Tree after = before;
  after["sources"] = "TARGETNAME=drv\nTARGETTYPE=DRIVER\nC_DEFINES=$(C_DEFINES) -DX=1 \\\n  -DY=2 -DPOOL_NX_OPTIN_AUTO=1\nSOURCES=drv.c\n";
  after["drv.c"] = "#include <ntddk.h>\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'a'); }\n";
  std::string err = check_fix(before, after, "--opt-in auto");
  EXPECT_NE(err.find("opt-in 1"), std::string::npos) << err;
}

// Spec 1.6: with both POOL_NX_OPTIN and POOL_NX_OPTIN_AUTO set on x86/x64,
// wdm.h picks AUTO but ExInitializeDriverRuntime still names the OPTIN
// globals, so every unit stops compiling. A project that opts in one way
// must never be given the other (real case: a driver with POOL_NX_OPTIN=1
// in its .vcxproj and `--opt-in auto`).
TEST(OptInCli, AProjectAlreadyOptedInTheOtherWayIsLeftAlone) {
  auto project = [](const std::string& defs) {
    return "<Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\n"
           "  <ItemGroup><ProjectConfiguration Include=\"Release|x64\"><Configuration>Release</Configuration>"
           "<Platform>x64</Platform></ProjectConfiguration></ItemGroup>\n"
           "  <PropertyGroup><ConfigurationType>Driver</ConfigurationType>"
           "<PlatformToolset>WindowsKernelModeDriver10.0</PlatformToolset></PropertyGroup>\n"
           "  <ItemDefinitionGroup><ClCompile><PreprocessorDefinitions>" + defs +
           ";%(PreprocessorDefinitions)</PreprocessorDefinitions></ClCompile></ItemDefinitionGroup>\n"
           "  <ItemGroup><ClCompile Include=\"drv.c\" /></ItemGroup>\n</Project>\n";
  };
  const std::string drv = "#include <ntddk.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)\n{\n"
                          "    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);\n    (void)d; (void)r;\n    return 0;\n}\n";
  for (const char* have : {"POOL_NX_OPTIN=1", "POOL_NX_OPTIN_AUTO=1"})
    for (const char* kind : {"--opt-in auto", "--opt-in optin"}) {
      Tree before{{"drv.vcxproj", project(std::string("NDIS_WDM=1;") + have)}, {"drv.c", drv}};
      std::string err = check_fix(before, before, kind);
      EXPECT_EQ(err.find("opt-in 1"), std::string::npos) << have << " " << kind << "\n" << err;
      EXPECT_NE(err.find("; 0 left alone"), std::string::npos) << "nothing to say: " << err;
    }
}

// Only images with units still outside the opt-in get the definition: a
// `sources` driver whose C_DEFINES already opt in is not edited, and one
// of two drivers in a tree is.
TEST(OptInCli, OnlyImagesWithUnitsOutsideTheOptInAreEdited) {
  Tree before{{"a/sources", "TARGETNAME=a\nTARGETTYPE=DRIVER\nC_DEFINES=$(C_DEFINES) -DPOOL_NX_OPTIN=1\nSOURCES=a.c\n"},
              {"a/a.c", "#include <ntddk.h>\nvoid* f(void) { return ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'a'); }\n"},
              {"b/sources", "TARGETNAME=b\nTARGETTYPE=DRIVER\nSOURCES=b.c\n"},
              {"b/b.c", "#include <ntddk.h>\nvoid* g(void) { return ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'b'); }\n"}};
  Tree after = before;
  after["b/sources"] = "TARGETNAME=b\nTARGETTYPE=DRIVER\nSOURCES=b.c\nC_DEFINES = $(C_DEFINES) -DPOOL_NX_OPTIN_AUTO=1\n";
  std::string err = check_fix(before, after, "--opt-in auto");
  EXPECT_NE(err.find("opt-in 1"), std::string::npos) << err;
}

}  // namespace
