// Fuzz target: the whole per-unit pipeline (preprocessor model, structure
// pass, rules) on one file written to a private temporary directory. The
// input may include itself, define recursive macros, unbalance #if, etc.;
// the scan must finish without crashing.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "scan/scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string dir = [] {
    std::string t = "/tmp/nxpool-fuzz-" + std::to_string(getpid());
    mkdir(t.c_str(), 0700);
    return t;
  }();
  std::string path = dir + "/unit.c";
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  nxpool::scan::ScanOptions o;
  o.paths = {path};
  o.jobs = 1;
  o.definitions.push_back({"POOL_NX_OPTIN", std::string("1"), false, {}});
  (void)nxpool::scan::scan({}, o);
  return 0;
}
