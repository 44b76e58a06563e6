// Toolset-only MSBuild properties; see msbuild_toolset.h.
#include "msbuild_toolset.h"

#include <string>

#include "text_util.h"

namespace nxpool::buildfiles {

namespace {

// Properties that only the Visual Studio / WDK installation defines. An import
// path built from one of them belongs to the toolset, which is not here.
constexpr std::string_view kToolsetProperties[] = {
    "vctargetspath",          "userrootdir",         "msbuildextensionspath",
    "msbuildtoolspath",       "msbuildbinpath",      "msbuildsdkspath",
    "windowssdkdir",          "wdkcontentroot",      "vcinstalldir",
    "vsinstalldir",           "msbuilduserextensionspath", "msbuildprogramfiles32",
    "programfiles",           "nugetpackageroot",    "devenvdir",
    "msbuildframeworktoolspath", "frameworksdkroot", "windowskitsroot",
    "msbuildtoolsroot",       "vcinstalldir_170",    "platformtoolsetversion"};

}  // namespace

bool mentions_toolset_property(std::string_view raw) {
  std::string lower = to_lower(raw);
  for (auto name : kToolsetProperties) {
    size_t at = lower.find(name);
    while (at != std::string::npos) {
      if (at >= 2 && lower[at - 2] == '$' && lower[at - 1] == '(') return true;
      at = lower.find(name, at + 1);
    }
  }
  return false;
}

}  // namespace nxpool::buildfiles
