// Property expansion, property functions and conditions of the MSBuild
// reader (issue 4 item 1 "Properties" and "Conditions").
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "msbuild_expand.h"

namespace nxpool::buildfiles {
namespace {

class ExpandTest : public ::testing::Test {
 protected:
  ExpandTest() : ex(props, fs, locs, diags, "/proj/dir/drv.vcxproj") {
    loc = locs.add({"/proj/dir/drv.vcxproj", 3, 5});
    props.set("Configuration", LocStr("Release", loc), true);
    props.set("Platform", LocStr("x64", loc), true);
    props.set("Dir", LocStr("C:\\src\\", loc));
  }
  std::string x(std::string_view s) { return ex.expand_plain(s, loc); }
  bool c(std::string_view s) { return ex.condition(s, loc, "/proj/dir"); }

  PropertyTable props;
  FileSystem fs;
  LocTable locs;
  DiagSink diags;
  Expander ex;
  uint32_t loc;
};

TEST_F(ExpandTest, PropertiesAreCaseInsensitiveAndGlobalsWin) {
  EXPECT_EQ(x("$(configuration)|$(PLATFORM)"), "Release|x64");
  props.set("Configuration", LocStr("Debug", loc));  // a project cannot override a global
  EXPECT_EQ(x("$(Configuration)"), "Release");
  EXPECT_EQ(x("$(Nope)x"), "x");
  EXPECT_EQ(ex.take_undefined(), std::vector<std::string>{"Nope"});
}

TEST_F(ExpandTest, ReservedThisFileProperties) {
  ex.set_this_file("/proj/build/common.props");
  // Directories end with '\\' as on Windows, so EndsWith('\\') tests hold.
  EXPECT_EQ(x("$(MSBuildThisFileDirectory)"), "/proj/build\\");
  EXPECT_EQ(x("$(MSBuildThisFileDirectory.EndsWith('\\'))"), "True");
  EXPECT_EQ(x("$(MSBuildThisFileName)$(MSBuildThisFileExtension)"), "common.props");
  EXPECT_EQ(x("$(MSBuildThisFile)"), "common.props");
}

TEST_F(ExpandTest, StringMethods) {
  EXPECT_EQ(x("$(Dir.EndsWith('\\'))"), "True");
  EXPECT_EQ(x("$(Configuration.StartsWith('rel'))"), "False");  // ordinal by default
  EXPECT_EQ(x("$(Configuration.StartsWith('rel', StringComparison.OrdinalIgnoreCase))"), "True");
  EXPECT_EQ(x("$(Configuration.Contains('eas'))"), "True");
  EXPECT_EQ(x("$(Configuration.ToUpper())"), "RELEASE");
  EXPECT_EQ(x("$(Dir.TrimEnd('\\'))"), "C:\\src");
  EXPECT_EQ(x("$(Configuration.Replace('ease', 'y'))"), "Rely");
  EXPECT_EQ(x("$(Configuration.Substring(2, 3))"), "lea");
  EXPECT_EQ(x("$(Configuration.Length)"), "7");
  EXPECT_EQ(x("$(Configuration.IndexOf('z'))"), "-1");
  props.set("VisualStudioVersion", LocStr("17.4", loc));
  EXPECT_EQ(x("$(VisualStudioVersion.Split('.')[0])"), "17");
  EXPECT_EQ(x("$(VisualStudioVersion.Split('.')[1])"), "4");
}

TEST_F(ExpandTest, StaticFunctions) {
  EXPECT_EQ(x("$([System.IO.Path]::Combine('/a/b', 'c.props'))"), "/a/b/c.props");
  EXPECT_EQ(x("$([System.IO.Path]::Combine('/a/b', '/abs'))"), "/abs");
  EXPECT_EQ(x("$([MSBuild]::NormalizeDirectory('/a/b', '..', 'c'))"), "/a/c\\");
  EXPECT_EQ(x("$([MSBuild]::EnsureTrailingSlash('$(Platform)'))"), "x64\\");
  EXPECT_EQ(x("$([MSBuild]::ValueOrDefault('$(Nope)', 'dflt'))"), "dflt");
  EXPECT_EQ(x("$([MSBuild]::VersionGreaterThanOrEquals('10.0.22621', '10.0.19041'))"), "True");
  EXPECT_EQ(x("$([System.String]::IsNullOrEmpty('$(Nope)'))"), "True");
  EXPECT_EQ(x("$([MSBuild]::Add(2, 3))"), "5");
  EXPECT_EQ(diags.all().size(), 0u);
  EXPECT_EQ(x("$([System.Guid]::NewGuid())"), "");
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].severity, model::Severity::Warning);
  EXPECT_EQ(diags.all()[0].loc.line, 3);
}

TEST_F(ExpandTest, ReadAllText) {
  std::string file = ::testing::TempDir() + "nxpool-version.txt";
  { std::ofstream(file) << "1.2.3\n"; }
  EXPECT_EQ(x("$([System.IO.File]::ReadAllText('" + file + "').Trim())"), "1.2.3");
  EXPECT_EQ(x("$([System.IO.File]::ReadAllText('/no/such/file'))"), "");
  ASSERT_EQ(diags.all().size(), 1u);  // the missing file is reported, not guessed
  std::remove(file.c_str());
}

TEST_F(ExpandTest, Conditions) {
  EXPECT_TRUE(c("'$(Configuration)|$(Platform)'=='release|X64'"));
  EXPECT_TRUE(c("'$(Configuration)' != 'Debug' and ('$(Platform)' == 'Win32' or '$(Platform)' == 'x64')"));
  EXPECT_FALSE(c("!('$(Platform)' == 'x64')"));
  EXPECT_TRUE(c("HasTrailingSlash('$(Dir)') AND !HasTrailingSlash('$(Platform)')"));
  EXPECT_TRUE(c("'10' > '9.5'"));  // numbers, not strings
  EXPECT_TRUE(c("'0x10' == '16'"));
  EXPECT_TRUE(c("'15.0' >= '9'"));
  EXPECT_TRUE(c("$(Dir.EndsWith('\\'))"));
  EXPECT_TRUE(c("true"));
  EXPECT_TRUE(c(""));
  EXPECT_TRUE(diags.all().empty());
}

TEST_F(ExpandTest, MalformedConditionIsAnErrorAndFalse) {
  EXPECT_FALSE(c("'$(Configuration)' == "));
  EXPECT_FALSE(c("('a' == 'a'"));
  EXPECT_FALSE(c("'abc'"));
  EXPECT_FALSE(c("Frob('x')"));
  ASSERT_EQ(diags.all().size(), 4u);
  for (const auto& d : diags.all()) EXPECT_EQ(d.severity, model::Severity::Error);
}

TEST_F(ExpandTest, OriginsFollowProperties) {
  uint32_t other = locs.add({"/proj/common.props", 7, 3});
  props.set("NxDefs", LocStr("POOL_NX_OPTIN=1", other));
  LocStr v = ex.expand("A;$(NxDefs);B", loc);
  EXPECT_EQ(v.text, "A;POOL_NX_OPTIN=1;B");
  EXPECT_EQ(locs.get(v.loc_at(0, 0)).line, 3);
  EXPECT_EQ(locs.get(v.loc_at(2, 0)).file, "/proj/common.props");
  EXPECT_EQ(locs.get(v.loc_at(18, 0)).line, 3);
}

TEST_F(ExpandTest, MetadataReferences) {
  MetadataMap meta;
  meta["preprocessordefinitions"] = MetaEntry{"PreprocessorDefinitions", LocStr("X=1", loc)};
  ex.set_metadata(&meta, "src\\Driver.c");
  EXPECT_EQ(x("Y;%(PreprocessorDefinitions)"), "Y;X=1");
  EXPECT_EQ(x("%(Filename)%(Extension)"), "Driver.c");
  EXPECT_EQ(x("%(AdditionalIncludeDirectories)"), "");
  ex.set_metadata(nullptr, "");
  EXPECT_EQ(x("%(PreprocessorDefinitions)"), "%(PreprocessorDefinitions)");  // literal outside items
}

namespace nxpool::buildfiles {
namespace {

// Hostile nesting gives a diagnostic, not a stack overflow (issue 5/4: bad
// input "never a crash or hang").
TEST_F(ExpandTest, DeepNestingIsBounded) {
  std::string cond(100000, '(');
  EXPECT_FALSE(c(cond + "'a'=='a'" + std::string(100000, ')')));
  std::string bangs(100000, '!');
  EXPECT_FALSE(c(bangs + "true"));
  std::string exists;
  for (int i = 0; i < 5000; ++i) exists += "Exists(";
  EXPECT_FALSE(c(exists + "'x'" + std::string(5000, ')')));
  std::string prop;
  for (int i = 0; i < 5000; ++i) prop += "$([System.String]::Copy(";
  prop += "'x'";
  for (int i = 0; i < 5000; ++i) prop += "))";
  EXPECT_EQ(x(prop), "");
  EXPECT_FALSE(diags.all().empty());
}

}  // namespace
}  // namespace nxpool::buildfiles

// Issue 9 item 6: MSBuild short-circuits And/Or, so the right side of
// "'$(Unset)' != '' And '$(Unset)' >= '10.0.26100.0'" is never compared (it
// would compare '' with a version): valid, false, no error. The same for Or
// whose left side is true. A syntax error on the skipped side is still one.
TEST_F(ExpandTest, AndOrShortCircuitLikeMsbuild) {
  EXPECT_FALSE(c("'$(Unset)' != '' And '$(Unset)' >= '10.0.26100.0'"));
  EXPECT_TRUE(c("'$(Unset)' == '' Or '$(Unset)' >= '10.0.26100.0'"));
  EXPECT_FALSE(c("'$(Unset)' != '' and ('$(Unset)' < '1.0' or 'x' == 'x')"));
  EXPECT_TRUE(diags.all().empty());
  EXPECT_FALSE(c("'$(Configuration)' == 'Release' And '$(Unset)' >= '10.0.26100.0'"));
  EXPECT_FALSE(c("'a' == 'b' And ('x' == 'y'"));
  EXPECT_EQ(diags.all().size(), 2u);
}

}  // namespace
}  // namespace nxpool::buildfiles
