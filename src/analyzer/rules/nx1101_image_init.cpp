// NX1101 and the image-scoped resolution of OPTIN findings (docs/mechanism.md §3.1-§3.2):
// the NX globals are per image and only an ExInitializeDriverRuntime call
// with DrvRtPoolNxOptIn compiled in an OPTIN file of that image makes them
// NX. Without one, NX1101 is reported once for the image and every pending
// OPTIN site (NX2001/NX2004/NX2005) becomes a finding.
// Tested by cases/nx1101_*.c and tests/analyzer/scanner_test.cpp.
#include "rules/rules.h"

namespace nxpool::rules {

void resolve_image(const std::string& image, std::vector<UnitOutcome*>& units, std::vector<scan::Finding>& out) {
  bool any_optin = false, initialised = false;
  for (const UnitOutcome* u : units) {
    any_optin = any_optin || u->optin;
    initialised = initialised || u->valid_init;
  }
  if (!any_optin || initialised) return;
  for (UnitOutcome* u : units) {
    if (!u->optin || !u->nx1101_anchor) continue;
    scan::Finding f = *u->nx1101_anchor;
    f.message = "image '" + image + "' has OPTIN files but none calls ExInitializeDriverRuntime(DrvRtPoolNxOptIn): "
                "every NonPagedPool allocation in its OPTIN files stays executable";
    out.push_back(std::move(f));
    break;
  }
  for (UnitOutcome* u : units)
    for (scan::Finding& f : u->pending) out.push_back(std::move(f));
}

}  // namespace nxpool::rules
