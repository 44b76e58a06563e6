// Fuzz target: the PE parser and every binary rule (NX4000-NX4006,
// including the Capstone walk for NX4006) on one input held in memory.
// The input is hostile: headers, tables and code may be anything; the scan
// must finish without reading outside the buffer (ASan) or undefined
// behaviour (UBSan). Seed corpus: fuzz/pe_corpus/ (small images from
// tests/binary/make_images.sh). Run:
//   ./nxpool_pe_fuzz -max_total_time=300 ../../fuzz/pe_corpus
#include <cstdint>
#include <span>

#include "binary/binary_scan.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nxpool::scan::ScanResult r;
  nxpool::binary::scan_image(std::span<const std::uint8_t>(data, size), "fuzz.sys", {}, r);
  return 0;
}
