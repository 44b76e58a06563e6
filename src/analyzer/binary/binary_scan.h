// PE images in `nxpool scan`: which inputs are images, and the binary rules
// NX4000-NX4006 over them (docs/rules/NX40*.md).
//
// An explicit input is an image when its content starts with "MZ" or its
// name ends in .sys/.dll/.exe (then anything else is an error: a 0-byte
// .sys is a broken build output, not an empty source). A directory
// contributes its .sys/.dll/.exe files. Corrupt images become one error
// diagnostic each (file and offset); every other input is still scanned.
// Tested by tests/binary/.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "scan/finding.h"

namespace nxpool::binary {

struct BinaryOptions {
  bool hvci = false;  // executable-site rules become errors
};

// Splits `paths` into PE image files (`images`) and the rest (returned).
std::vector<std::string> take_images(const std::vector<std::string>& paths, std::vector<std::string>& images);

// Scans one image held in memory; `display` names it in findings.
void scan_image(std::span<const std::uint8_t> data, const std::string& display, const BinaryOptions& opt,
                scan::ScanResult& out);

// Reads and scans each file; results are appended to `out` in input order.
void scan_images(const std::vector<std::string>& files, const BinaryOptions& opt, scan::ScanResult& out);

}  // namespace nxpool::binary
