// Every rule is listed, documented (docs/rules/NXnnnn.md with the four
// sections issue 5 item 4 asks for) and exercised by at least one case that
// expects it.
#include "rules/registry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace nxpool::rules {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(Registry, IdsAreUniqueAndWellFormed) {
  std::set<std::string_view> ids;
  for (const RuleInfo& r : all_rules()) {
    EXPECT_TRUE(std::regex_match(std::string(r.id), std::regex("NX[0-9]{4}"))) << r.id;
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    EXPECT_EQ(find_rule(r.id), &r);
  }
  EXPECT_EQ(ids.size(), 25u);
}

TEST(Registry, EveryRuleHasADocPage) {
  for (const RuleInfo& r : all_rules()) {
    std::string page = slurp(std::filesystem::path(NXPOOL_DOCS_DIR) / (std::string(r.id) + ".md"));
    ASSERT_FALSE(page.empty()) << r.id;
    for (const char* section : {"## What", "## Why", "## Before", "## After", "## How to fix"})
      EXPECT_NE(page.find(section), std::string::npos) << r.id << " " << section;
  }
}

TEST(Registry, EveryRuleIsExpectedBySomeCase) {
  std::string all;
  for (const auto& e : std::filesystem::recursive_directory_iterator(NXPOOL_CASES_DIR))
    if (e.is_regular_file()) all += slurp(e.path());
  for (const RuleInfo& r : all_rules()) {
    if (r.tags.find("binary") != std::string_view::npos) continue;  // images: tests/binary/rules_test.cpp
    EXPECT_TRUE(std::regex_search(all, std::regex("expect:[^\\n]*" + std::string(r.id)))) << r.id;
  }
}

}  // namespace
}  // namespace nxpool::rules
