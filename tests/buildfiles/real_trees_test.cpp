// Public driver trees nobody on the team wrote (issue 4 "Done when": the
// modes must match what MSBuild/build.exe would produce). Runs only when
// NXPOOL_REAL_TREES names a directory holding checkouts named like
// "microsoft+Windows-driver-samples" (owner+repo); each missing tree skips.
// The facts checked below were read off the trees' build files by hand.
// No timing here: speed is measured by the benchmark, not by tests.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "build.h"

namespace nxpool::buildfiles {
namespace {

namespace fs = std::filesystem;

std::string tree(const char* name) {
  const char* root = std::getenv("NXPOOL_REAL_TREES");
  if (!root || !*root) return "";
  fs::path p = fs::path(root) / name;
  return fs::is_directory(p) ? p.string() : "";
}

#define NEED_TREE(var, name)                                     \
  std::string var = tree(name);                                  \
  if (var.empty()) GTEST_SKIP() << "NXPOOL_REAL_TREES has no " << name

int errors(const model::BuildModel& m) {
  int n = 0;
  for (const auto& d : m.diagnostics)
    if (d.severity == model::Severity::Error) {
      ++n;
      ADD_FAILURE() << d.loc.file << ":" << d.loc.line << ":" << d.loc.column << ": " << d.message;
    }
  return n;
}

const model::CompileUnit* unit(const model::BuildModel& m, const std::string& suffix,
                               const std::string& config) {
  for (const auto& u : m.units)
    if (u.config == config && u.source.size() >= suffix.size() &&
        u.source.compare(u.source.size() - suffix.size(), suffix.size(), suffix) == 0)
      return &u;
  return nullptr;
}

std::vector<std::string> nx_defs(const model::CompileUnit& u) {
  std::vector<std::string> out;
  for (const auto& d : u.definitions)
    if (d.name.find("POOL_NX") != std::string::npos)
      out.push_back((d.undefine ? "-U" : "") + d.name + (d.value ? "=" + *d.value : "") + "@" +
                    std::to_string(d.origin.line));
  return out;
}

using V = std::vector<std::string>;

TEST(RealTrees, WindowsDriverSamples) {
  NEED_TREE(root, "microsoft+Windows-driver-samples");
  model::BuildModel m = discover(root, {});
  EXPECT_EQ(errors(m), 0);
  std::set<std::string> projects;
  for (const auto& img : m.images) projects.insert(img.origin.file);
  EXPECT_GE(projects.size(), 250u);  // "about 270 projects"
  // general/event/wdm/event.vcxproj: two ItemDefinitionGroups per
  // configuration, the second prepending "POOL_NX_OPTIN;…" (line 127).
  const model::CompileUnit* ev = unit(m, "general/event/wdm/event.c", "Release|x64");
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(nx_defs(*ev), (V{"POOL_NX_OPTIN@127", "POOL_NX_OPTIN=1@92", "POOL_NX_OPTIN=1@124"}));
  EXPECT_EQ(ev->arch, model::Arch::X64);
  EXPECT_TRUE(ev->kernel_mode);
  // Its ResourceCompile item is not a unit.
  EXPECT_EQ(unit(m, "general/event/wdm/event.rc", "Release|x64"), nullptr);
}

TEST(RealTrees, VirtioPlatformConditionedDefinition) {
  NEED_TREE(root, "virtio-win+kvm-guest-drivers-windows");
  model::BuildModel m = discover(root, {});
  EXPECT_EQ(errors(m), 0);
  // VirtIO/WDF/VirtioLib-WDF.vcxproj: AUTO only under Platform Win32 and x64.
  int checked = 0;
  for (const auto& u : m.units) {
    if (u.source.find("/VirtIO/WDF/") == std::string::npos) continue;
    bool has_auto = false;
    for (const auto& d : u.definitions) has_auto |= d.name == "POOL_NX_OPTIN_AUTO";
    EXPECT_EQ(has_auto, u.arch != model::Arch::Arm64) << u.source << " " << u.config;
    EXPECT_TRUE(u.kernel_mode);
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(RealTrees, XdpSourcesProjectMk) {
  NEED_TREE(root, "xdp-sources");
  model::BuildModel m = discover(root, {});
  EXPECT_EQ(errors(m), 0);
  // project.mk line 13 opts every directory below in with AUTO.
  int checked = 0;
  for (const auto& u : m.units) {
    if (u.source.find("/core/sys/") == std::string::npos) continue;
    EXPECT_EQ(nx_defs(u), V{"POOL_NX_OPTIN_AUTO=1@13"}) << u.source << " " << u.config;
    EXPECT_TRUE(u.kernel_mode);
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(RealTrees, HyperPlatformOptIn) {
  NEED_TREE(root, "tandasat+HyperPlatform");
  model::BuildModel m = discover(root, {});
  EXPECT_EQ(errors(m), 0);
  int checked = 0;
  for (const auto& u : m.units) {
    if (u.image != "HyperPlatform") continue;
    V defs = nx_defs(u);
    ASSERT_EQ(defs.size(), 1u) << u.source << " " << u.config;
    EXPECT_EQ(defs[0].rfind("POOL_NX_OPTIN=1@", 0), 0u);
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(RealTrees, OtherTreesReadWithoutErrors) {
  for (const char* name : {"dokan-dev+dokany", "winfsp+winfsp"}) {
    std::string root = tree(name);
    if (root.empty()) continue;
    model::BuildModel m = discover(root, {});
    EXPECT_EQ(errors(m), 0) << name;
    EXPECT_FALSE(m.units.empty()) << name;
  }
}

}  // namespace
}  // namespace nxpool::buildfiles
