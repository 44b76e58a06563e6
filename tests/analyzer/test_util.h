// Helpers for analyzer tests: a temporary directory with files, and a quick
// way to preprocess or scan a snippet.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "pp/preprocessor.h"
#include "scan/scanner.h"

namespace nxpool::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "nxpool-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) ? tmpl : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string write(const std::string& rel, const std::string& bytes) const {
    std::filesystem::path p = std::filesystem::path(path_) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p.generic_string();
  }

 private:
  std::string path_;
};

// x64 kernel-build predefines, as the scanner writes them.
inline std::string x64_predefines() {
  return "#define _KERNEL_MODE 1\n#define _AMD64_ 1\n#undef _X86_\n#undef _ARM_\n#undef _ARM64_\n#undef _NTOS_\n"
         "#undef POOL_NX_OPTIN\n#undef POOL_NX_OPTIN_AUTO\n#undef POOL_NX_OPTOUT\n"
         "#undef POOL_ZERO_DOWN_LEVEL_SUPPORT\n#undef __cplusplus\n";
}

inline pp::PreprocessedUnit preprocess_file(const std::string& path, pp::FileCache& cache,
                                            const std::string& extra_predefines = "") {
  pp::UnitInput in;
  in.main_file = pp::normalize_path(path);
  in.predefines = x64_predefines() + extra_predefines;
  return pp::preprocess(in, cache);
}

}  // namespace nxpool::testing
