// The simulated OS version (issue 2 item 3): RtlGetVersion defaults to 10.0,
// nxpool_set_os_version changes it, NXPOOL_OS_VERSION sets it at start-up and
// a malformed value warns and keeps the default. ExInitializeDriverRuntime
// (spec 1.5) depends on this for its 6.2 cut-off.
#include <nxpool/wdm.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace {

struct Probe {
  std::string out;  // stdout and stderr, merged
};

Probe run_probe(const char *env_value) {
  std::string cmd = env_value == nullptr ? "env -u NXPOOL_OS_VERSION " : "env NXPOOL_OS_VERSION='" + std::string(env_value) + "' ";
  cmd += NXPOOL_VERSION_PROBE;
  cmd += " 2>&1";
  Probe p;
  FILE *f = popen(cmd.c_str(), "r");
  if (f == nullptr) return p;
  char buf[256];
  while (std::fgets(buf, sizeof buf, f) != nullptr) p.out += buf;
  pclose(f);
  return p;
}

TEST(OsVersion, DefaultIsWindows10) {
  EXPECT_EQ(run_probe(nullptr).out, "ok 10.0 build 19041\n");
}

TEST(OsVersion, EnvironmentSetsItAtStartUp) {
  EXPECT_EQ(run_probe("6.1").out, "ok 6.1 build 7601\n");
  EXPECT_EQ(run_probe("6.2").out, "ok 6.2 build 9200\n");
}

TEST(OsVersion, MalformedEnvironmentWarnsAndKeepsDefault) {
  for (const char *bad : {"", "6", "six", "6.x", "6.1.2", ".1", "6.", "123.0", "0.5"}) {
    Probe p = run_probe(bad);
    EXPECT_NE(p.out.find("nxpool: warning: NXPOOL_OS_VERSION='" + std::string(bad) + "'"),
              std::string::npos)
        << bad << ": " << p.out;
    EXPECT_NE(p.out.find("ok 10.0 build 19041\n"), std::string::npos) << bad;
  }
}

TEST(OsVersion, SetterChangesWhatRtlGetVersionReports) {
  RTL_OSVERSIONINFOW v{};
  v.dwOSVersionInfoSize = sizeof v;
  nxpool_set_os_version(6, 1);
  ASSERT_EQ(RtlGetVersion(&v), STATUS_SUCCESS);
  EXPECT_EQ(v.dwMajorVersion, 6u);
  EXPECT_EQ(v.dwMinorVersion, 1u);
  nxpool_set_os_version(10, 0);
  ASSERT_EQ(RtlGetVersion(&v), STATUS_SUCCESS);
  EXPECT_EQ(v.dwMajorVersion, 10u);
  EXPECT_EQ(v.dwMinorVersion, 0u);
  EXPECT_EQ(v.dwPlatformId, 2u);
}

}  // namespace
