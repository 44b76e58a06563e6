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

namespace {
using nxpool::testing::TempDir;

struct CliRun {
  int status = -1;
  std::string out, err;
  std::vector<nlohmann::json> units, findings, diags;
};

std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs nxpool in `cwd`; with --format json the records are split by type.
CliRun run(const std::string& cwd, const std::string& args) {
  TempDir tmp;
  std::string cmd = "cd '" + cwd + "' && " NXPOOL_BIN " " + args + " > '" + tmp.path() + "/out' 2> '" + tmp.path() +
                    "/err' < /dev/null";
  int rc = std::system(cmd.c_str());
  CliRun r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(tmp.path() + "/out");
  r.err = slurp(tmp.path() + "/err");
  std::istringstream is(r.out);
  std::string l;
  while (std::getline(is, l)) {
    if (l.empty() || l[0] != '{') continue;
    nlohmann::json j = nlohmann::json::parse(l);
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

}  // namespace
