// Folding findings into printed lines (internal to the text-like formats):
// one line per distinct (place, rule, message, severity), suppressed
// findings left out, with the configurations that have it as a suffix.
#pragma once

#include <string>
#include <vector>

#include "scan/finding.h"

namespace nxpool::report {

struct FoldedLine {
  const scan::Finding* f;
  std::string suffix;  // " (Release|x64)", " (all 4 configurations)" or ""
};

std::vector<FoldedLine> fold(const scan::ScanResult& r);

}  // namespace nxpool::report
