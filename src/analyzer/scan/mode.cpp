// The decision mirrors wdm.h's block (docs/mechanism.md §1.1-§1.4):
//   not x86/x64 and not _NTOS_  -> OPTIN removed, AUTO forced to 1
//   OPTOUT != 0                 -> opted out (nothing is remapped)
//   else AUTO != 0              -> AUTO (also when OPTIN is set: docs/mechanism.md §7.3)
//   else OPTIN != 0             -> OPTIN
//   else                        -> none
// Values, not definedness, count: 0 is the same as undefined, and an empty
// body is treated as 0 here (NX1002 reports that the header breaks).
// Tested by tests/analyzer/mode_test.cpp and cases/mode_*.c.
#include "scan/mode.h"

namespace nxpool::scan {

const char* mode_name(NxMode m) {
  switch (m) {
    case NxMode::None: return "none";
    case NxMode::Auto: return "auto";
    case NxMode::OptIn: return "optin";
    case NxMode::OptOut: return "optout";
    case NxMode::User: return "user";
  }
  return "none";
}

ModeDecision decide_mode(const pp::Latch& l) {
  ModeDecision d;
  std::int64_t optin = l.optin.effective();
  std::int64_t autov = l.autov.effective();
  std::int64_t optout = l.optout.effective();
  if (!l.x86_or_x64) {
    d.forced_by_arch = true;
    optin = 0;
    autov = 1;
  }
  d.without_optout = autov ? NxMode::Auto : optin ? NxMode::OptIn : NxMode::None;
  d.optin_and_auto = l.x86_or_x64 && optin && autov && !optout;
  d.mode = optout ? NxMode::OptOut : d.without_optout;
  auto describe = [](const char* name, const pp::NxValue& v) {
    std::string s = std::string(name) + "=" + (v.value ? std::to_string(*v.value) : std::string("?"));
    if (!v.origin.empty()) s += " from " + v.origin;
    return s;
  };
  switch (d.mode) {
    case NxMode::OptOut:
      d.source = describe("POOL_NX_OPTOUT", l.optout);
      d.uncertain = l.optout.uncertain;
      break;
    case NxMode::Auto:
      if (d.forced_by_arch) {
        d.source = "forced by the architecture (not x86/x64)";
      } else {
        d.source = describe("POOL_NX_OPTIN_AUTO", l.autov);
        d.uncertain = l.autov.uncertain;
      }
      break;
    case NxMode::OptIn:
      d.source = describe("POOL_NX_OPTIN", l.optin);
      d.uncertain = l.optin.uncertain;
      break;
    case NxMode::User: break;  // decided by the build, not the latch (scan/unit_run.cpp)
    case NxMode::None:
      d.source = "no opt-in macro in force";
      d.uncertain = l.optin.uncertain || l.autov.uncertain;
      break;
  }
  // Not latched by a kernel header (issue 9 item 5): the definitions still
  // select the mode; say where they were read.
  if (!l.by_header)
    d.source += l.latched ? " (no kernel header reached; taken at the first pool use)"
                          : " (no kernel header reached: not latched; the definitions in force at the end of the unit)";
  return d;
}

}  // namespace nxpool::scan
