// Fuzz targets for the build-file readers (issue 10 item 11), one binary per
// reader, chosen at compile time by NXPOOL_FUZZ_KIND:
//   1 msbuild  - the input is a .vcxproj (XML, conditions, property functions)
//   2 sln      - the input is a .sln
//   3 sources  - the input is a WDK `sources` file (nmake subset, !if expressions)
//   4 compdb   - the input is a compile_commands.json
//   5 response - the input is a response file named by a fixed compile command
//   6 ifexpr   - the input is the expression of an `#if` in a C file
// Each input is written into a private directory that is the read root, so
// the readers' confinement is exercised too. The readers must finish
// without crashing, hanging or reading outside that directory.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "build.h"
#include "scan/scanner.h"

namespace {

const std::string& dir() {
  static const std::string d = [] {
    std::string t = "/tmp/nxpool-fuzz-" + std::to_string(getpid());
    mkdir(t.c_str(), 0700);
    return t;
  }();
  return d;
}

void write(const std::string& name, const std::uint8_t* data, std::size_t size, const std::string& before = "",
           const std::string& after = "") {
  std::ofstream f(dir() + "/" + name, std::ios::binary | std::ios::trunc);
  f << before;
  f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  f << after;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace nxpool;
  buildfiles::ReadOptions ro;
  switch (NXPOOL_FUZZ_KIND) {
    case 1:
      write("a.vcxproj", data, size);
      (void)buildfiles::read_project(dir() + "/a.vcxproj", ro);
      break;
    case 2:
      write("a.sln", data, size);
      (void)buildfiles::read_project(dir() + "/a.sln", ro);
      break;
    case 3:
      write("sources", data, size);
      (void)buildfiles::read_project(dir() + "/sources", ro);
      break;
    case 4:
      write("compile_commands.json", data, size);
      (void)buildfiles::load_compile_commands(dir() + "/compile_commands.json");
      break;
    case 5: {
      write("r.rsp", data, size);
      std::ofstream(dir() + "/compile_commands.json", std::ios::trunc)
          << "[{\"directory\":\"" << dir() << "\",\"file\":\"a.c\",\"command\":\"cl @r.rsp a.c\"}]";
      (void)buildfiles::load_compile_commands(dir() + "/compile_commands.json");
      break;
    }
    case 6: {
      write("unit.c", data, size, "#include <wdm.h>\n#if ", "\nvoid f(void){ExAllocatePool(NonPagedPool, 1);}\n#endif\n");
      scan::ScanOptions o;
      o.paths = {dir() + "/unit.c"};
      o.jobs = 1;
      (void)scan::scan({}, o);
      break;
    }
  }
  return 0;
}
