// How the report writers show PE images (binary/): kept here so that
// report/ needs only a line or two per format.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "scan/finding.h"

namespace nxpool::binary {

// "file:0x1a0" for a finding in an image (line 0), "file" when the offset is 0.
std::string finding_position(const scan::Finding& f);

// The JSON Lines record {"type":"image",...} of one image.
nlohmann::ordered_json image_record(const ImageFacts& f);

// SARIF rule properties for a binary rule (Verifier code, readiness tool
// counter name); empty for other rules.
nlohmann::ordered_json rule_properties(std::string_view rule);

}  // namespace nxpool::binary
