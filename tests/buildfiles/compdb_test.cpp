// compile_commands.json loading (issue 5 "Inputs": -p <file or its directory>;
// "bad JSON" gets a positioned error, never a crash).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "build.h"

namespace nxpool::buildfiles {
namespace {

namespace fs = std::filesystem;

class CompdbFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          (std::string("nxpool-compdb-") +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  void write(const std::string& text) { std::ofstream(dir / "compile_commands.json") << text; }
  fs::path dir;
};

TEST_F(CompdbFile, MalformedJsonIsPositioned) {
  write("[\n  {\"directory\": \"/x\",\n   \"file\": \"a.c\" \"command\": \"cc a.c\"}\n]\n");
  auto m = load_compile_commands(dir.string());  // the directory form
  EXPECT_TRUE(m.units.empty());
  ASSERT_EQ(m.diagnostics.size(), 1u);
  EXPECT_EQ(m.diagnostics[0].severity, model::Severity::Error);
  EXPECT_EQ(m.diagnostics[0].loc.line, 3);
  // The parser stops at the end of the unexpected token: the "command" string
  // that stands where ',' or '}' belongs (columns 18-26).
  EXPECT_EQ(m.diagnostics[0].loc.column, 26);
}

// Found by the compdb fuzzer: a number too large for a double is not a
// parse error to the JSON library but an out-of-range exception, which used
// to escape load_compile_commands and end the process.
TEST_F(CompdbFile, NumberOutOfRangeIsAnErrorNotACrash) {
  write("[\n  {\"directory\": \"/x\", \"file\": \"a.c\", \"n\": 1E999999}\n]\n");
  auto m = load_compile_commands((dir / "compile_commands.json").string());
  EXPECT_TRUE(m.units.empty());
  ASSERT_EQ(m.diagnostics.size(), 1u);
  EXPECT_EQ(m.diagnostics[0].severity, model::Severity::Error);
  EXPECT_NE(m.diagnostics[0].message.find("malformed compile_commands.json"), std::string::npos)
      << m.diagnostics[0].message;
}

TEST_F(CompdbFile, NotAnArray) {
  write("{}");
  auto m = load_compile_commands((dir / "compile_commands.json").string());
  ASSERT_EQ(m.diagnostics.size(), 1u);
  EXPECT_EQ(m.diagnostics[0].loc.line, 1);
}

TEST_F(CompdbFile, MissingFileIsAnError) {
  auto m = load_compile_commands((dir / "nope.json").string());
  ASSERT_EQ(m.diagnostics.size(), 1u);
  EXPECT_EQ(m.diagnostics[0].severity, model::Severity::Error);
  EXPECT_EQ(m.diagnostics[0].loc.line, 0);
}

TEST_F(CompdbFile, EntryLineCountsStringsWithBraces) {
  write("[{\"directory\": \"/x\", \"file\": \"{[a.c\", \"arguments\": [\"cc\", \"-DX\"]},\n"
        " {\"directory\": \"/x\", \"file\": \"b.c\", \"arguments\": [\"cc\", \"-DY\"]}]");
  auto m = load_compile_commands(dir.string());
  ASSERT_EQ(m.units.size(), 2u);
  EXPECT_EQ(m.units[1].definitions.at(0).origin.line, 2);
  EXPECT_EQ(m.units[1].definitions.at(0).origin.column, 2);
}

}  // namespace
}  // namespace nxpool::buildfiles
