// Fuzz target: the in-source suppression reader (issue 11 item 1) reads
// every source file that has a finding, so it must take any bytes: never
// crash, never loop, and every span it returns lies inside the file with
// first <= last.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "suppress/in_source.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::uint32_t lines = 1;
  for (char c : text) lines += c == '\n';
  nxpool::suppress::InSource in(text);
  for (const auto& s : in.spans())
    if (s.first == 0 || s.first > s.last || s.last > lines) std::abort();
  (void)in.find(1, "NX2001", nxpool::scan::NxMode::OptOut);
  return 0;
}
