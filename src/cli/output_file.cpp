// See output_file.h.
#include "cli/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

namespace nxpool::cli {
namespace {

// The temporary file a signal handler must remove (async-signal-safe: a fixed
// buffer, unlink() and re-raising are all it does).
char g_temp[4096];
volatile std::sig_atomic_t g_have_temp = 0;

extern "C" void remove_temp_and_die(int sig) {
  if (g_have_temp) ::unlink(g_temp);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

bool write_all(int fd, std::string_view data, int& err) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      err = n < 0 ? errno : EIO;
      return false;
    }
    data.remove_prefix(size_t(n));
  }
  return true;
}

// Owns the temporary file until it is renamed; removes it otherwise.
struct TempFile {
  std::string path;
  int fd = -1;
  bool keep = false;
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!path.empty() && !keep) ::unlink(path.c_str());
    g_have_temp = 0;
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGHUP, SIG_DFL);
  }
};

}  // namespace

bool write_output_file(const std::string& path, std::string_view data, std::string& error) {
  auto fail = [&](int err) {
    error = "cannot write " + path + ": " + std::strerror(err);
    return false;
  };
  struct stat st{};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) return fail(EISDIR);
    // A FIFO, terminal or device: write into it, never replace it. O_NONBLOCK
    // only for the open, so a FIFO nobody reads is an error, not a hang; a
    // reader that is still starting (`cat pipe & nxpool scan -o pipe`) gets
    // two seconds to open its end.
    int fd = -1;
    for (int tries = 0; tries < 200; ++tries) {
      fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
      if (fd >= 0 || errno != ENXIO || !S_ISFIFO(st.st_mode)) break;
      ::usleep(10000);
    }
    if (fd < 0) return fail(errno);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    int err = 0;
    bool ok = write_all(fd, data, err);
    if (::close(fd) != 0 && ok) return fail(errno);
    return ok ? true : fail(err);
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  std::string base = std::filesystem::path(path).filename().string();
  if (dir.empty()) dir = ".";
  TempFile tmp;
  std::string pattern = dir + "/." + base + ".XXXXXX";
  if (pattern.size() >= sizeof g_temp) return fail(ENAMETOOLONG);
  std::memcpy(g_temp, pattern.c_str(), pattern.size() + 1);
  std::signal(SIGINT, remove_temp_and_die);
  std::signal(SIGTERM, remove_temp_and_die);
  std::signal(SIGHUP, remove_temp_and_die);
  tmp.fd = ::mkstemp(g_temp);  // O_CREAT|O_EXCL, unpredictable name, mode 0600
  if (tmp.fd < 0) return fail(errno);
  tmp.path = g_temp;
  g_have_temp = 1;
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(tmp.fd, 0666 & ~mask);
  int err = 0;
  if (!write_all(tmp.fd, data, err)) return fail(err);
  if (::fsync(tmp.fd) != 0) return fail(errno);
  int fd = tmp.fd;
  tmp.fd = -1;
  if (::close(fd) != 0) return fail(errno);
  if (::rename(tmp.path.c_str(), path.c_str()) != 0) return fail(errno);
  tmp.keep = true;
  return true;
}

bool write_stdout(std::string_view data, std::string& error) {
  // A closed pipe must be an error we report, not a death by SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  int err = 0;
  if (!write_all(STDOUT_FILENO, data, err)) {
    error = std::string("cannot write standard output: ") + std::strerror(err);
    return false;
  }
  return true;
}

}  // namespace nxpool::cli
