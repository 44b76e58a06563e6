// rename(2) within one directory is atomic: a reader (or a crash) sees the
// old inode or the new one. Everything before the rename happens in a
// temporary file nobody else looks at, so killing the fixer at any point
// leaves the original untouched or fully replaced; at worst a stale
// `.NAME.nxpool-fix-XXXXXX` temporary stays behind.
// Tested by tests/fix/atomic_write_test.cpp and the kill test.
#include "fix/atomic_write.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nxpool::fix {
namespace {

std::string errtext(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

bool write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool same_contents(const std::string& path, const std::string& expected) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str() == expected;
}

}  // namespace

WriteResult replace_file(const std::string& path, const std::string& expected, const std::string& bytes, mode_t mode) {
  WriteResult r;
  char resolved[PATH_MAX];
  std::string real = ::realpath(path.c_str(), resolved) ? std::string(resolved) : path;
  auto slash = real.rfind('/');
  std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : real.substr(0, slash));
  std::string base = slash == std::string::npos ? real : real.substr(slash + 1);
  std::string tmpl = dir + "/." + base + ".nxpool-fix-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    r.message = errtext("cannot create a temporary file beside it");
    return r;
  }
  std::string tmp(name.data());
  auto fail = [&](const char* what) {
    r.message = errtext(what);
    ::close(fd);
    ::unlink(tmp.c_str());
    return r;
  };
  if (!write_all(fd, bytes)) return fail("write failed");
  if (::fchmod(fd, mode) != 0) return fail("cannot set permissions");
  if (::fsync(fd) != 0) return fail("fsync failed");
  if (::close(fd) != 0) {
    r.message = errtext("close failed");
    ::unlink(tmp.c_str());
    return r;
  }
  if (!same_contents(real, expected)) {
    ::unlink(tmp.c_str());
    r.status = WriteStatus::Changed;
    r.message = "changed on disk since it was read; not written";
    return r;
  }
  if (::rename(tmp.c_str(), real.c_str()) != 0) {
    r.message = errtext("rename failed");
    ::unlink(tmp.c_str());
    return r;
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  r.status = WriteStatus::Written;
  return r;
}

}  // namespace nxpool::fix
