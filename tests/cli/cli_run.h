// Running the built `nxpool` in a directory and collecting its output, for
// the issue 11 tests (suppressions, baseline, config, SARIF, formats).
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "../analyzer/test_util.h"

namespace nxpool::clitest {

using nxpool::testing::TempDir;

struct CliRun {
  int status = -1;
  std::string out, err;
};

inline std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs a shell command in `cwd`, collecting its output.
inline CliRun run_shell(const std::string& cwd, const std::string& command) {
  TempDir tmp;
  std::string cmd = "cd '" + cwd + "' && " + command + " > '" + tmp.path() + "/out' 2> '" + tmp.path() +
                    "/err' < /dev/null";
  int rc = std::system(cmd.c_str());
  CliRun r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(tmp.path() + "/out");
  r.err = slurp(tmp.path() + "/err");
  return r;
}

// `env` is prepended to the command ("NO_COLOR=1 "), `args` follow nxpool.
inline CliRun run(const std::string& cwd, const std::string& args, const std::string& env = "") {
  return run_shell(cwd, env + NXPOOL_BIN " " + args);
}

inline std::vector<nlohmann::json> json_lines(const std::string& s) {
  std::vector<nlohmann::json> v;
  std::istringstream is(s);
  std::string l;
  while (std::getline(is, l))
    if (!l.empty()) v.push_back(nlohmann::json::parse(l));
  return v;
}

inline std::vector<nlohmann::json> findings(const std::string& json_lines_out) {
  std::vector<nlohmann::json> out;
  for (auto& j : json_lines(json_lines_out))
    if (j["type"] == "finding") out.push_back(j);
  return out;
}

// One executable allocation per call line, so a test can number them.
inline std::string alloc(const char* tag) {
  return std::string("    PVOID p_") + tag + " = ExAllocatePoolWithTag(NonPagedPool, 64, 'gaT1');\n";
}

}  // namespace nxpool::clitest
