// Mode decision table (spec §1.1, §1.2, §1.6, §1.7 and the §1.9 matrix).
#include "scan/mode.h"

#include <gtest/gtest.h>

namespace nxpool::scan {
namespace {

pp::NxValue v(std::int64_t x) {
  pp::NxValue n;
  n.defined = true;
  n.value = x;
  return n;
}

pp::Latch latch(std::optional<std::int64_t> optin, std::optional<std::int64_t> autov,
                std::optional<std::int64_t> optout, bool x64 = true) {
  pp::Latch l;
  l.latched = l.by_header = true;
  if (optin) l.optin = v(*optin);
  if (autov) l.autov = v(*autov);
  if (optout) l.optout = v(*optout);
  l.x86_or_x64 = x64;
  return l;
}

TEST(Mode, Matrix) {
  EXPECT_EQ(decide_mode(latch({}, {}, {})).mode, NxMode::None);
  EXPECT_EQ(decide_mode(latch(1, {}, {})).mode, NxMode::OptIn);
  EXPECT_EQ(decide_mode(latch({}, 1, {})).mode, NxMode::Auto);
  EXPECT_EQ(decide_mode(latch(1, {}, 1)).mode, NxMode::OptOut);
  EXPECT_EQ(decide_mode(latch({}, 1, 1)).mode, NxMode::OptOut);
  EXPECT_EQ(decide_mode(latch({}, {}, 1)).mode, NxMode::OptOut);
}

TEST(Mode, ValuesNotDefinedness) {
  EXPECT_EQ(decide_mode(latch(1, {}, 0)).mode, NxMode::OptIn);  // OPTOUT=0 does not opt out
  EXPECT_EQ(decide_mode(latch(0, {}, {})).mode, NxMode::None);
  EXPECT_EQ(decide_mode(latch(2, {}, {})).mode, NxMode::OptIn);
}

TEST(Mode, OptinAndAutoPicksAutoAndIsFlagged) {
  ModeDecision d = decide_mode(latch(1, 1, {}));
  EXPECT_EQ(d.mode, NxMode::Auto);
  EXPECT_TRUE(d.optin_and_auto);
  EXPECT_FALSE(decide_mode(latch(1, 1, 1)).optin_and_auto);
}

TEST(Mode, ArmForcesAuto) {
  ModeDecision d = decide_mode(latch(1, {}, {}, false));
  EXPECT_EQ(d.mode, NxMode::Auto);
  EXPECT_TRUE(d.forced_by_arch);
  EXPECT_FALSE(d.optin_and_auto);
  EXPECT_EQ(decide_mode(latch({}, 0, {}, false)).mode, NxMode::Auto);
  ModeDecision out = decide_mode(latch({}, {}, 1, false));
  EXPECT_EQ(out.mode, NxMode::OptOut);
  EXPECT_EQ(out.without_optout, NxMode::Auto);
}

TEST(Mode, OptoutWithoutOptinOnX64) {
  ModeDecision d = decide_mode(latch({}, {}, 1));
  EXPECT_EQ(d.without_optout, NxMode::None);
}

}  // namespace
}  // namespace nxpool::scan
