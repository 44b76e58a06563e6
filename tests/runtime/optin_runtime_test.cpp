// End to end through headers and runtime (issue 2; spec 1.3-1.5): a file
// built with POOL_NX_OPTIN writes NonPagedPool and calls
// ExInitializeDriverRuntime(DrvRtPoolNxOptIn). On a simulated Windows 7
// (6.1) the call changes nothing and its pool stays executable; on 6.2+ the
// same source gets NX pages, both from the pool and from a lookaside list
// initialised with Flags = 0. The switch is one-way per image, so the 6.1
// half must run first - hence one test.
#include <nxpool/wdm.h>

#include <gtest/gtest.h>

extern "C" {
void optin_driver_init(void);
void *optin_driver_allocate(ULONG tag);
void optin_driver_init_lookaside(PNPAGED_LOOKASIDE_LIST list, ULONG tag);
}

namespace {

constexpr ULONG k_tag = 0x6E69704F;  // "Opin"

int executable_from_driver() {
  void *p = optin_driver_allocate(k_tag);
  int result = nxpool_is_executable(p);
  ExFreePoolWithTag(p, k_tag);
  return result;
}

int executable_from_lookaside() {
  NPAGED_LOOKASIDE_LIST list;
  optin_driver_init_lookaside(&list, k_tag);
  void *p = ExAllocateFromNPagedLookasideList(&list);
  int result = nxpool_is_executable(p);
  ExFreeToNPagedLookasideList(&list, p);
  ExDeleteNPagedLookasideList(&list);
  return result;
}

TEST(OptInRuntime, NxOnlyAfterInitOnWindows8OrLater) {
  EXPECT_EQ(executable_from_driver(), 1) << "before the init call, OPTIN pool is executable";

  nxpool_set_os_version(6, 1);
  optin_driver_init();
  EXPECT_EQ(executable_from_driver(), 1) << "Windows 7: the init call must change nothing";
  EXPECT_EQ(executable_from_lookaside(), 1);

  nxpool_set_os_version(6, 2);
  optin_driver_init();
  EXPECT_EQ(executable_from_driver(), 0) << "Windows 8: NonPagedPool now means NX";
  EXPECT_EQ(executable_from_lookaside(), 0) << "the lookaside wrapper adds the NX flag";

  nxpool_set_os_version(10, 0);
}

}  // namespace
