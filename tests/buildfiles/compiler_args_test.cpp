// Command-line spellings of definitions (issue 5 "Inputs": "-D/-U/-I ... in
// both GCC and MSVC spelling (/D, /U, /I, /FI, response files)").
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "compiler_args.h"
#include "paths.h"

namespace nxpool::buildfiles {
namespace {

using V = std::vector<std::string>;

TEST(SplitCommand, Posix) {
  EXPECT_EQ(split_command(R"(cc -DA="x y" '-DB=$z' -DC=a\ b "-DD=\"q\"")", QuoteStyle::Posix),
            (V{"cc", "-DA=x y", "-DB=$z", "-DC=a b", "-DD=\"q\""}));
}

TEST(SplitCommand, WindowsBackslashRules) {
  EXPECT_EQ(split_command(R"(C:\bin\cl.exe /I"C:\a b\\" /DX=\"s\" c:\x\y.c)",
                          QuoteStyle::Windows),
            (V{"C:\\bin\\cl.exe", "/IC:\\a b\\", "/DX=\"s\"", "c:\\x\\y.c"}));
}

TEST(SplitCommand, GuessesStyleFromCompiler) {
  EXPECT_EQ(guess_quote_style("cl.exe /c x.c"), QuoteStyle::Windows);
  EXPECT_EQ(guess_quote_style("\"C:/Program Files/LLVM/bin/clang-cl.exe\" x.c"),
            QuoteStyle::Windows);
  EXPECT_EQ(guess_quote_style("/usr/bin/cc -c x.c"), QuoteStyle::Posix);
}

std::vector<Arg> args(const V& words) {
  std::vector<Arg> out;
  int n = 0;
  for (const auto& w : words) out.push_back(Arg{w, {"cc.json", 1, ++n}});
  return out;
}

TEST(ApplyArgs, DefinitionsKeepOrderSpellingAndOrigin) {
  FileSystem fs;
  model::CompileUnit u;
  std::vector<model::InputDiagnostic> diags;
  apply_compiler_args(args({"/DPOOL_NX_OPTIN=1", "/D", "A#2", "-D", "B", "-UC", "/U", "D",
                            "-DE=", "/c", "x.c"}),
                      "/w", QuoteStyle::Windows, fs, u, diags);
  ASSERT_EQ(u.definitions.size(), 6u);
  EXPECT_EQ(u.definitions[0].name, "POOL_NX_OPTIN");
  EXPECT_EQ(u.definitions[0].value, "1");
  EXPECT_EQ(u.definitions[0].origin.column, 1);
  EXPECT_EQ(u.definitions[1].name, "A");  // MSVC NAME#VALUE
  EXPECT_EQ(u.definitions[1].value, "2");
  EXPECT_EQ(u.definitions[2].name, "B");
  EXPECT_FALSE(u.definitions[2].value.has_value());  // bare NAME means NAME=1
  EXPECT_TRUE(u.definitions[3].undefine);
  EXPECT_EQ(u.definitions[4].name, "D");
  EXPECT_TRUE(u.definitions[4].undefine);
  EXPECT_EQ(u.definitions[5].name, "E");
  EXPECT_EQ(u.definitions[5].value, "");
  EXPECT_TRUE(diags.empty());
}

TEST(ApplyArgs, EmptyValueIsNotBare) {
  FileSystem fs;
  model::CompileUnit u;
  std::vector<model::InputDiagnostic> diags;
  apply_compiler_args(args({"-DPOOL_NX_OPTOUT="}), "/w", QuoteStyle::Posix, fs, u, diags);
  ASSERT_EQ(u.definitions.size(), 1u);
  EXPECT_EQ(u.definitions[0].value, "");
}

TEST(ApplyArgs, SlashIsAPathForGcc) {
  FileSystem fs;
  model::CompileUnit u;
  std::vector<model::InputDiagnostic> diags;
  apply_compiler_args(args({"-c", "/Dev/x.c"}), "/w", QuoteStyle::Posix, fs, u, diags);
  EXPECT_TRUE(u.definitions.empty());
}

TEST(ApplyArgs, IncludesForcedIncludesLanguageKernel) {
  FileSystem fs;
  model::CompileUnit u;
  u.kernel_mode = false;
  std::vector<model::InputDiagnostic> diags;
  apply_compiler_args(args({"/Iinc", "/I", "..\\x", "/FIpre.h", "/kernel", "/TP",
                            "/external:I", "ext"}),
                      "/w/p", QuoteStyle::Windows, fs, u, diags);
  EXPECT_EQ(u.include_dirs, (V{"/w/p/inc", "/w/x", "/w/p/ext"}));
  EXPECT_EQ(u.forced_includes, (V{"/w/p/pre.h"}));
  EXPECT_TRUE(u.kernel_mode);
  EXPECT_TRUE(u.cplusplus);
  model::CompileUnit g;
  apply_compiler_args(args({"-I", "inc", "-isystem", "/sys", "-include", "cfg.h", "-x", "c++",
                            "--target=aarch64-pc-windows-msvc"}),
                      "/w", QuoteStyle::Posix, fs, g, diags);
  EXPECT_EQ(g.include_dirs, (V{"/w/inc", "/sys"}));
  EXPECT_EQ(g.forced_includes, (V{"/w/cfg.h"}));
  EXPECT_TRUE(g.cplusplus);
  EXPECT_EQ(g.arch, model::Arch::Arm64);
}

TEST(ApplyArgs, ResponseFilesNestAndReportMissing) {
  namespace sfs = std::filesystem;
  sfs::path dir = sfs::temp_directory_path() / "nxpool-rsp-test";
  sfs::create_directories(dir);
  std::ofstream(dir / "outer.rsp") << "/DOUTER @inner.rsp";
  {
    // UTF-16LE with BOM, as MSBuild writes response files.
    std::ofstream inner(dir / "inner.rsp", std::ios::binary);
    std::string text = "/DPOOL_NX_OPTIN_AUTO=1";
    inner << char(0xFF) << char(0xFE);
    for (char c : text) inner << c << char(0);
  }
  FileSystem fs;
  model::CompileUnit u;
  std::vector<model::InputDiagnostic> diags;
  apply_compiler_args(args({"@outer.rsp", "@missing.rsp"}), dir.string(), QuoteStyle::Windows,
                      fs, u, diags);
  ASSERT_EQ(u.definitions.size(), 2u);
  EXPECT_EQ(u.definitions[0].name, "OUTER");
  EXPECT_EQ(u.definitions[1].name, "POOL_NX_OPTIN_AUTO");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_NE(diags[0].message.find("missing.rsp"), std::string::npos);
  EXPECT_EQ(diags[0].loc.column, 2);  // the @missing.rsp argument
  sfs::remove_all(dir);
}

TEST(ArchFromCompiler, HostTargetDirectory) {
  EXPECT_EQ(arch_from_compiler_path("C:\\VC\\bin\\Hostx64\\arm64\\cl.exe"), model::Arch::Arm64);
  EXPECT_EQ(arch_from_compiler_path("C:/VC/bin/Hostx64/x86/cl.exe"), model::Arch::X86);
  EXPECT_EQ(arch_from_compiler_path("/usr/bin/gcc"), model::Arch::Unknown);
}

}  // namespace
}  // namespace nxpool::buildfiles
