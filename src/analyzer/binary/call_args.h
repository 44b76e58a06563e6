// Constant arguments of calls through the import table, read from machine
// code (x64 and ARM64) with Capstone. Internal to binary/.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "binary/pe_image.h"

namespace nxpool::binary {

struct ArgValue {
  bool known = false;
  std::uint64_t value = 0;
};

struct ImportCall {
  std::uint32_t rva = 0;       // of the call (or tail-call jump) instruction
  std::size_t import = 0;      // index into PeImage::imports
  ArgValue args[8];            // what each argument register / stack slot held
};

// Calls `on_call` for every call through the IAT whose import `wanted`
// accepts. Returns false when the machine is not one we decode.
bool find_import_calls(const PeImage& img, std::span<const std::uint8_t> data,
                       const std::function<bool(const Import&)>& wanted,
                       const std::function<void(const ImportCall&)>& on_call);

}  // namespace nxpool::binary
