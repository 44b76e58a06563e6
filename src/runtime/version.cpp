// The simulated Windows version: RtlGetVersion and nxpool_set_os_version.
//
// ExInitializeDriverRuntime turns NX on only for 6.2 (Windows 8) and later,
// so tests need to pretend to be Windows 7. The version is one atomic word;
// NXPOOL_OS_VERSION is read once, before main (a static initializer) and
// lazily on first use in case another static initializer asks first.
//
// Tested by tests/runtime/version_test.cpp.
#include <nxpool/wdm.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace {

constexpr unsigned pack(unsigned major, unsigned minor) { return (major << 16) | (minor & 0xFFFF); }

std::atomic<unsigned> g_version{pack(10, 0)};
std::once_flag g_env_once;

// "MAJOR.MINOR" with both parts decimal, major 1..99, minor 0..99.
bool parse_version(const char *text, unsigned *major, unsigned *minor) {
  unsigned parts[2] = {0, 0};
  int part = 0, digits = 0;
  for (const char *c = text; *c != '\0'; ++c) {
    if (*c >= '0' && *c <= '9') {
      parts[part] = parts[part] * 10 + static_cast<unsigned>(*c - '0');
      if (++digits > 2) return false;
    } else if (*c == '.' && part == 0 && digits > 0) {
      part = 1;
      digits = 0;
    } else {
      return false;
    }
  }
  if (part != 1 || digits == 0 || parts[0] == 0) return false;
  *major = parts[0];
  *minor = parts[1];
  return true;
}

void read_environment() {
  const char *text = std::getenv("NXPOOL_OS_VERSION");
  if (text == nullptr) return;
  unsigned major, minor;
  if (parse_version(text, &major, &minor)) {
    g_version.store(pack(major, minor), std::memory_order_relaxed);
  } else {
    std::fprintf(stderr,
                 "nxpool: warning: NXPOOL_OS_VERSION='%s' is not MAJOR.MINOR (e.g. 6.1); "
                 "keeping 10.0\n",
                 text);
  }
}

void ensure_environment_read() { std::call_once(g_env_once, read_environment); }

[[maybe_unused]] const int g_read_at_startup = (ensure_environment_read(), 0);

// A plausible build number for the versions drivers test against.
ULONG build_number(unsigned major, unsigned minor) {
  if (major == 6 && minor == 1) return 7601;
  if (major == 6 && minor == 2) return 9200;
  if (major == 6 && minor == 3) return 9600;
  if (major == 10) return 19041;
  return 0;
}

}  // namespace

extern "C" {

void nxpool_set_os_version(unsigned major, unsigned minor) {
  ensure_environment_read();  // so the environment cannot overwrite this later
  g_version.store(pack(major, minor), std::memory_order_relaxed);
}

NTSTATUS NTAPI RtlGetVersion(PRTL_OSVERSIONINFOW info) {
  ensure_environment_read();
  if (info == nullptr) return STATUS_INVALID_PARAMETER;
  unsigned v = g_version.load(std::memory_order_relaxed);
  info->dwMajorVersion = v >> 16;
  info->dwMinorVersion = v & 0xFFFF;
  info->dwBuildNumber = build_number(info->dwMajorVersion, info->dwMinorVersion);
  info->dwPlatformId = 2;  // VER_PLATFORM_WIN32_NT
  info->szCSDVersion[0] = 0;
  return STATUS_SUCCESS;
}

}  // extern "C"
