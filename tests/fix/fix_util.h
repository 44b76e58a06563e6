// Helpers for the fix tests: temporary trees, running the built `nxpool`
// binary, reading bytes back, and `git apply` in a directory.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "../analyzer/test_util.h"

namespace nxpool::testing {

inline std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct Run {
  int status = -1;
  std::string out, err;
};

inline Run sh(const std::string& cwd, const std::string& cmd) {
  TempDir tmp;
  std::string full = "cd '" + cwd + "' && " + cmd + " > '" + tmp.path() + "/out' 2> '" + tmp.path() + "/err' < /dev/null";
  int rc = std::system(full.c_str());
  Run r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(tmp.path() + "/out");
  r.err = slurp(tmp.path() + "/err");
  return r;
}

#ifdef NXPOOL_BIN
inline Run nxpool(const std::string& cwd, const std::string& args) { return sh(cwd, std::string(NXPOOL_BIN) + " " + args); }
#endif

// Applies `patch` with `git apply` in `dir` (not inside a repository).
inline Run git_apply(const std::string& dir, const std::string& patch) {
  TempDir p;
  std::string file = p.write("fix.patch", patch);
  return sh(dir, "git apply --unsafe-paths '" + file + "'");
}

}  // namespace nxpool::testing
