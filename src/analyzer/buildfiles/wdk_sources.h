// WDK build.exe trees: `dirs` and `sources` files.
//
// A `dirs` file lists subdirectories (DIRS, OPTIONAL_DIRS); each holds another
// `dirs` or a `sources`. A `sources` directory is one image: TARGETNAME,
// TARGETTYPE (DRIVER, MINIPORT, GDI_DRIVER -> driver; EXPORT_DRIVER -> export
// driver; DRIVER_LIBRARY, LIBRARY -> static library; DYNLINK -> DLL; PROGRAM
// -> application), SOURCES (plus I386_/AMD64_/ARM64_SOURCES for that
// architecture), INCLUDES, C_DEFINES and USER_C_FLAGS (read as cl options),
// PRECOMPILED_INCLUDE, and TARGETLIBS/LINKLIBS for links to libraries of the
// same tree. The nearest `project.mk` above the directory is read first, as
// makefile.def does, so every directory below it inherits its C_DEFINES;
// `sources.inc` and other shared files come in through `!include`.
//
// Configurations are build.exe environments: fre|x86, fre|x64, fre|arm64,
// chk|x86, chk|x64, chk|arm64 (--config "fre|x64", or "Release|x64"). Each sets
// the macros makefiles test: _BUILDARCH (x86, AMD64, ARM64), 386/AMD64/ARM64=1,
// FREEBUILD (1 fre, 0 chk), DDKBUILDENV (fre/chk), and _NT_TARGET_VERSION
// (0xA00, Windows 10) with the _NT_TARGET_VERSION_<OS> constants. The toolchain's own
// -D options (_AMD64_, DBG…) are left to the scanner's --arch handling.
// Kernel mode: every target type but DYNLINK and PROGRAM, and not when
// UMDF_VERSION_MAJOR is set.
//
// Errors: a syntax error in any file read for a directory, or a missing
// !include, skips that directory (positioned error); an active `!error` skips
// that configuration of it (note). Everything else is still read.
//
// Tested by the wdk_* fixtures in tests/buildfiles/fixtures.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "build.h"
#include "nmake.h"
#include "session.h"

namespace nxpool::buildfiles {

class WdkSourcesReader {
 public:
  WdkSourcesReader(Session& session, const ReadOptions& options, model::BuildModel& out);
  // Image names that collide are told apart by the directory relative to this.
  void set_root(std::string dir) { root_ = std::move(dir); }
  // A `dirs` or `sources` file.
  void read(const std::string& path);
  bool reached(const std::string& dir) const { return reached_.count(dir) != 0; }
  // Resolves TARGETLIBS against the libraries read; call once at the end.
  void finish();

 private:
  struct Config {
    std::string name, buildarch, archmacro, sources_prefix;
    bool free;
    model::Arch arch;
  };
  void seed(NmakeEnv& env, const Config& c) const;
  void read_dirs(const std::string& dir, int depth);
  void read_sources(const std::string& dir);

  Session& s_;
  model::BuildModel& out_;
  std::vector<Config> configs_;
  NmakeCache cache_;
  std::set<std::string> reached_;
  // image index -> library base names it links
  std::vector<std::pair<size_t, std::vector<std::string>>> pending_links_;
  std::string root_;
};

}  // namespace nxpool::buildfiles
