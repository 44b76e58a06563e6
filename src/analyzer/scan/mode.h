// The effective NX mode of a translation unit (docs/mechanism.md §1.1-§1.4, §7.3),
// decided from the NX macro values in force where the mode latched.
#pragma once

#include <string>

#include "pp/preprocessor.h"

namespace nxpool::scan {

// User: user-mode code (UMDF driver, application, DLL), which has no NX pool
// mechanism at all (issue 9 item 2).
enum class NxMode { None, Auto, OptIn, OptOut, User };

const char* mode_name(NxMode m);  // "none", "auto", "optin", "optout", "user"

struct ModeDecision {
  NxMode mode = NxMode::None;
  NxMode without_optout = NxMode::None;  // what the mode would be without POOL_NX_OPTOUT
  bool forced_by_arch = false;           // not x86/x64: AUTO forced, OPTIN removed
  bool optin_and_auto = false;           // both set on x86/x64 with no opt-out: wdm.h fails to compile
  bool uncertain = false;                // a deciding macro was defined under an unknown #if
  std::string source;                    // why, for --modes and unit records
};

ModeDecision decide_mode(const pp::Latch& latch);

}  // namespace nxpool::scan
