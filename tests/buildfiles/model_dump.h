// Renders a BuildModel as the text the fixtures' expected.txt files hold:
// images, then units (source, config, arch, language, mode, image, every
// definition with its origin), then input diagnostics. Paths are shown
// relative to `base`, so fixtures do not depend on where the tree lives.
#pragma once

#include <string>

#include "build.h"

namespace nxpool::buildfiles::testing {

std::string dump_model(const model::BuildModel& model, const std::string& base);

}  // namespace nxpool::buildfiles::testing
