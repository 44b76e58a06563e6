// The three-way check the rule tests share: `fix --dry-run` (its diff
// applied with `git apply` to one copy), `fix` (on another copy), both equal
// to the expected tree, a second run plans nothing.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "fix_util.h"

namespace nxpool::testing::fixcheck {
using Tree = std::map<std::string, std::string>;

inline void write_tree(const TempDir& d, const Tree& t) {
  for (const auto& [p, b] : t) d.write(p, b);
}

inline std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// Runs the three-way check; returns fix's stderr (its notes).
inline std::string check_fix(const Tree& before, const Tree& after, const std::string& args = "") {
  TempDir dry, real;
  write_tree(dry, before);
  write_tree(real, before);
  Run d = nxpool::testing::nxpool(dry.path(), "fix --dry-run " + args + " .");
  EXPECT_EQ(d.status, 0) << d.err;
  for (const auto& [p, b] : before) EXPECT_EQ(slurp(dry.path() + "/" + p), b) << "dry run changed " << p;
  if (!d.out.empty()) {
    Run a = nxpool::testing::git_apply(dry.path(), d.out);
    EXPECT_EQ(a.status, 0) << a.err << d.out;
  }
  Run r = nxpool(real.path(), "fix " + args + " .");
  EXPECT_EQ(r.status, 0) << r.err;
  for (const auto& [p, b] : after) {
    EXPECT_EQ(slurp(real.path() + "/" + p), b) << "real run: " << p;
    EXPECT_EQ(slurp(dry.path() + "/" + p), b) << "dry-run diff applied: " << p;
  }
  Run again = nxpool(real.path(), "fix --dry-run " + args + " .");
  EXPECT_EQ(again.out, "") << "not idempotent";
  EXPECT_NE(again.err.find("0 sites"), std::string::npos) << again.err;
  return r.err;
}

inline std::string rescan(const Tree& before, const std::string& args = "") {
  TempDir t;
  write_tree(t, before);
  nxpool(t.path(), "fix " + args + " .");
  return nxpool(t.path(), "scan .").out;
}

}  // namespace nxpool::testing::fixcheck
