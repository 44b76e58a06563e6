// The binary rules' shared pieces (internal to binary/).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "binary/binary_scan.h"
#include "binary/pe_image.h"

namespace nxpool::binary {

// Adds findings for one image: rule id, file offset, message.
class Emitter {
 public:
  Emitter(const std::string& display, const BinaryOptions& opt, scan::ScanResult& out)
      : display_(display), opt_(opt), out_(out) {}
  void operator()(const char* rule, std::uint64_t offset, std::string message);

 private:
  const std::string& display_;
  const BinaryOptions& opt_;
  scan::ScanResult& out_;
};

ImageFacts facts_of(const PeImage& img, const std::string& display);
void note_facts(const ImageFacts& f, Emitter& emit);           // NX4000
void check_sections(const PeImage& img, Emitter& emit);        // NX4001, NX4002
void check_iat(const PeImage& img, Emitter& emit);             // NX4003
void check_relocs(const PeImage& img, Emitter& emit);          // NX4004
void check_imports(const PeImage& img, Emitter& emit);         // NX4005
void check_calls(const PeImage& img, std::span<const std::uint8_t> data, Emitter& emit);  // NX4006

}  // namespace nxpool::binary
