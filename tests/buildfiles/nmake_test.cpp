// nmake subset used by WDK sources files (peers doc "Build files": WDK
// sources/dirs in nmake syntax; issue 4 item 2).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "nmake.h"

namespace nxpool::buildfiles {
namespace {

class NmakeTest : public ::testing::Test {
 protected:
  long long eval(const std::string& e) {
    NmakeReader r(session, cache, env, "/");
    bool ok = true;
    long long v = r.evaluate(e, {"sources", 1, 1}, ok);
    last_ok = ok;
    return v;
  }
  Session session;
  NmakeCache cache;
  NmakeEnv env;
  bool last_ok = true;
};

TEST_F(NmakeTest, ExpressionsFollowCPrecedence) {
  EXPECT_EQ(eval("1 + 2 * 3"), 7);
  EXPECT_EQ(eval("(1 + 2) * 3"), 9);
  EXPECT_EQ(eval("0x10 | 1"), 17);
  EXPECT_EQ(eval("1 || 0 && 0"), 1);
  EXPECT_EQ(eval("!0 && ~0 == -1"), 1);
  EXPECT_EQ(eval("3 > 2 == 1"), 1);
  EXPECT_TRUE(last_ok);
}

TEST_F(NmakeTest, MacrosStringsAndDefined) {
  env.set("_BUILDARCH", LocStr("AMD64", 0));
  env.set("FREEBUILD", LocStr("1", 0));
  EXPECT_EQ(eval("\"$(_BUILDARCH)\" == \"AMD64\""), 1);
  EXPECT_EQ(eval("\"$(_BUILDARCH)\" == \"amd64\""), 0);  // case-sensitive like nmake
  EXPECT_EQ(eval("$(FREEBUILD)"), 1);
  EXPECT_EQ(eval("defined(FREEBUILD) && !defined(NOPE)"), 1);
  EXPECT_EQ(eval("DEFINED(_BUILDARCH)"), 1);
  EXPECT_TRUE(last_ok);
}

TEST_F(NmakeTest, BadExpressionsAreErrors) {
  eval("1 +");
  EXPECT_FALSE(last_ok);
  eval("AMD64 == AMD64");
  EXPECT_FALSE(last_ok);
  eval("1 / 0");
  EXPECT_FALSE(last_ok);
  EXPECT_EQ(session.diags.errors(), 3);
}

TEST_F(NmakeTest, SelfReferenceSplicesOldValueAndKeepsOrigins) {
  env.set("C_DEFINES", LocStr("-DA", 1));
  LocStr v("$(C_DEFINES) -DB", 2);
  env.set("C_DEFINES", v);
  LocStr e = env.expand_macro("C_DEFINES");
  EXPECT_EQ(e.text, "-DA -DB");
  EXPECT_EQ(e.loc_at(0, 9), 1u);
  EXPECT_EQ(e.loc_at(4, 9), 2u);
}

TEST_F(NmakeTest, LazyExpansionAndSubstitution) {
  env.set("SOURCES", LocStr("$(TARGETNAME).c", 0));
  env.set("TARGETNAME", LocStr("drv", 0));
  EXPECT_EQ(env.expand_macro("SOURCES").text, "drv.c");
  env.set("OBJS", LocStr("$(SOURCES:.c=.obj)", 0));
  EXPECT_EQ(env.expand_macro("OBJS").text, "drv.obj");
  env.set("LOOP", LocStr("$(LOOP2)", 0));
  env.set("LOOP2", LocStr("$(LOOP)", 0));
  env.expand_macro("LOOP");  // terminates
}

TEST_F(NmakeTest, DirectivesContinuationsAndComments) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "nxpool-nmake-test";
  fs::create_directories(dir);
  std::ofstream(dir / "inc.mk") << "FROM_INC=yes\n";
  std::ofstream(dir / "sources")
      << "# comment\n"
         "A=one \\\n"
         "  two # trailing comment\n"
         "HASH=a^#b\n"
         "!INCLUDE inc.mk\n"
         "!IF 0\n"
         "B=no\n"
         "!ELSE IF defined(FROM_INC)\n"
         "B=yes\n"
         "!ELSE\n"
         "B=never\n"
         "!ENDIF\n"
         "target: dep\n"
         "\tcommand line = ignored\n";
  NmakeReader r(session, cache, env, dir.string());
  NmakeOutcome out = r.process((dir / "sources").string());
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(env.expand_macro("A").text, "one two");
  EXPECT_EQ(env.expand_macro("HASH").text, "a#b");
  EXPECT_EQ(env.expand_macro("B").text, "yes");
  EXPECT_EQ(session.locs.get(env.raw("A")->loc_at(7, 0)).line, 3);  // "two" is on line 3
  EXPECT_EQ(session.locs.get(env.raw("A")->loc_at(7, 0)).column, 3);
  EXPECT_TRUE(session.diags.all().empty());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace nxpool::buildfiles

namespace nxpool::buildfiles {
namespace {

TEST_F(NmakeTest, DeepNestingIsBounded) {
  eval(std::string(100000, '(') + "1" + std::string(100000, ')'));
  EXPECT_FALSE(last_ok);
  eval(std::string(100000, '!') + "1");
  EXPECT_FALSE(last_ok);
}

}  // namespace
}  // namespace nxpool::buildfiles
