// `nxpool scan --modes` end to end on the build-file fixtures (issue 4 item 5:
// "per image, a table of translation units × configurations with the
// effective mode and where it came from"; item 7: each fixture "with its
// expected mode table"). The real binary runs in the fixture directory; its
// output must equal tests/cli/modes/<fixture>.txt, whose '#' lines explain,
// from the fixture's build files and the spec, why each cell is what it is.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "../analyzer/test_util.h"

namespace {
using nxpool::testing::TempDir;

std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The expected table: the file without its '#' comment lines.
std::string expected_table(const std::string& path) {
  std::istringstream in(slurp(path));
  std::string line, out;
  while (std::getline(in, line))
    if (line.empty() || line[0] != '#') out += line + "\n";
  return out;
}

std::string modes_of(const std::string& dir, const std::string& extra = "") {
  TempDir tmp;
  std::string cmd = "cd '" + dir + "' && " NXPOOL_BIN " scan --modes " + extra + " . > '" + tmp.path() +
                    "/out' 2> /dev/null < /dev/null";
  int rc = std::system(cmd.c_str());
  EXPECT_TRUE(WIFEXITED(rc)) << cmd;
  return slurp(tmp.path() + "/out");
}

class ModesTable : public ::testing::TestWithParam<const char*> {};

TEST_P(ModesTable, MatchesExpectedTable) {
  std::string name = GetParam();
  std::string want = expected_table(std::string(NXPOOL_CLI_TEST_DIR) + "/modes/" + name + ".txt");
  ASSERT_FALSE(want.empty()) << name;
  std::string dir = std::string(NXPOOL_BUILDFILES_FIXTURES) + "/" + name;
  EXPECT_EQ(modes_of(dir), want) << name;
  // The msvc format prints the same table.
  EXPECT_EQ(modes_of(dir, "--format msvc"), want) << name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ModesTable,
                         ::testing::Values("msbuild_glued_typo", "msbuild_platform_condition",
                                           "msbuild_solutiondir_props", "msbuild_property_path",
                                           "msbuild_kernel_mode", "wdk_project_mk", "msbuild_items"));

// Issue 4 item 5 with the user's selection: --config keeps only the chosen
// columns, in the order the build file declares them.
TEST(ModesTableConfig, SelectedConfigurationsOnly) {
  std::string dir = std::string(NXPOOL_BUILDFILES_FIXTURES) + "/wdk_project_mk";
  std::string out = modes_of(dir, "--config 'chk|arm64' --config 'fre|x64'");
  EXPECT_NE(out.find("  files in root/lib/\n"
                     "  FILE    fre|x64    chk|arm64\n"
                     "  core.c  optin [1]  auto [2]\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("fre|x86"), std::string::npos) << out;
}

}  // namespace
