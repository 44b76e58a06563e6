// The images of a scan, for the --modes headings and SARIF: one record per
// image name with its kind, build file and configurations.
#pragma once

#include <vector>

#include "model/compile_unit.h"
#include "scan/finding.h"

namespace nxpool::scan {

// Kind and build file from the build model, configurations in declared
// order, then any a unit names that the model does not ("<scan>" last);
// images without units are left out.
std::vector<ImageRecord> image_records(const model::BuildModel& build, const std::vector<UnitRecord>& units);

}  // namespace nxpool::scan
