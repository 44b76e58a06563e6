// Path normalization and case-insensitive resolution (peers doc, "Build files
// that set the opt-in": "Item paths may differ in case from the file on disk";
// Directory.Build.props "found upward (case-insensitively on Windows)").
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "paths.h"

namespace nxpool::buildfiles {
namespace {

namespace fs = std::filesystem;

TEST(NormalizePath, FoldsWindowsSpellings) {
  EXPECT_EQ(normalize_path("..\\inc\\.\\x.h", "/a/b/c"), "/a/b/inc/x.h");
  EXPECT_EQ(normalize_path("/x//y/", "/ignored"), "/x/y");
  EXPECT_EQ(normalize_path("..\\..\\..\\..", "/a"), "/");
  EXPECT_EQ(normalize_path("C:\\ddk\\inc", "/a"), "/C:/ddk/inc");
}

TEST(NormalizePath, NameParts) {
  EXPECT_EQ(parent_dir("/a/b/c.vcxproj"), "/a/b");
  EXPECT_EQ(parent_dir("/c"), "/");
  EXPECT_EQ(file_name("/a/b/c.vcxproj"), "c.vcxproj");
  EXPECT_EQ(file_stem("/a/b/c.d.vcxproj"), "c.d");
  EXPECT_EQ(file_ext("/a/b/c.d.vcxproj"), ".vcxproj");
  EXPECT_EQ(file_ext("/a/b/sources"), "");
  EXPECT_EQ(relative_path("/a/b/c", "/a"), "b/c");
  EXPECT_EQ(relative_path("/a/x", "/a/b"), "../x");
}

class TempTree : public ::testing::Test {
 protected:
  void SetUp() override {
    root = fs::temp_directory_path() /
           ("nxpool-paths-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    fs::create_directories(root / "Build" / "Sub");
    std::ofstream(root / "Build" / "Common.props") << "x";
    std::ofstream(root / "Directory.Build.props") << "x";
    std::ofstream(root / "Build" / "Sub" / "Driver.C") << "x";
  }
  void TearDown() override { fs::remove_all(root); }
  fs::path root;
};

TEST_F(TempTree, ResolvesEveryComponentIgnoringCase) {
  FileSystem fsys;
  std::string base = root.string();
  EXPECT_EQ(fsys.resolve(base + "/build/common.PROPS"), base + "/Build/Common.props");
  EXPECT_EQ(fsys.resolve(base + "/BUILD/sub/driver.c"), base + "/Build/Sub/Driver.C");
  EXPECT_EQ(fsys.resolve(base + "/Build/Common.props"), base + "/Build/Common.props");
  EXPECT_FALSE(fsys.resolve(base + "/build/missing.props"));
  EXPECT_TRUE(fsys.is_file(base + "/build/sub/DRIVER.c"));
  EXPECT_TRUE(fsys.is_dir(base + "/build/SUB"));
  EXPECT_FALSE(fsys.is_file(base + "/build/SUB"));
}

TEST_F(TempTree, FindsFileUpward) {
  FileSystem fsys;
  std::string base = root.string();
  EXPECT_EQ(fsys.find_upward(base + "/Build/Sub", "directory.build.props"), base);
  EXPECT_EQ(fsys.find_upward(base + "/Build/Sub", "common.props"), base + "/Build");
  EXPECT_FALSE(fsys.find_upward(base + "/Build/Sub", "nothing-like-this.props"));
}

TEST_F(TempTree, GlobIgnoresCaseAndDoesNotFollowLinkCycles) {
  fs::create_directory_symlink(root, root / "Build" / "loop");
  FileSystem fsys;
  std::string base = root.string();
  EXPECT_EQ(fsys.glob(base + "/build/*.PROPS"), std::vector<std::string>{base + "/Build/Common.props"});
  EXPECT_EQ(fsys.glob(base + "/**/*.c"), std::vector<std::string>{base + "/Build/Sub/Driver.C"});
  EXPECT_TRUE(wildcard_match("*.c", "DRIVER.C"));
  EXPECT_TRUE(wildcard_match("d?iver*", "driver.c"));
  EXPECT_FALSE(wildcard_match("*.c", "driver.cpp"));
}

}  // namespace
}  // namespace nxpool::buildfiles
