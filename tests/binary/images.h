// The driver images of make_images.sh, built at build time into the build
// tree (tests/binary/CMakeLists.txt). Tests skip, with the reason, when the
// toolchain for them is missing (make_images.sh wrote SKIPPED).
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace nxpool::binary::test {

struct Images {
  std::string dir;    // "" when they could not be built
  std::string why;    // the reason, for GTEST_SKIP
};

inline const Images& images() {
  static const Images found = [] {
    Images im;
    std::string dir = NXPOOL_BINARY_IMAGES;
    std::ifstream skipped(dir + "/SKIPPED");
    if (skipped) im.why = std::string(std::istreambuf_iterator<char>(skipped), {});
    else im.dir = dir;
    return im;
  }();
  return found;
}

inline std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace nxpool::binary::test
