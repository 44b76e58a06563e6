// Issue 12 "Safety": a fix killed at any moment leaves every file either
// old or new, never torn. The fixer runs in a child process over a large
// tree; the parent SIGKILLs it as soon as it sees the first file replaced
// (so the kill lands in the middle of the writes, whatever the machine's
// speed), then checks every file. No timing decides pass or fail.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "fix_util.h"

namespace {
using nxpool::testing::slurp;
using nxpool::testing::TempDir;

constexpr int kFiles = 300;

std::string name(int i) {
  char b[32];
  std::snprintf(b, sizeof b, "d%04d.c", i);
  return b;
}

std::string body(int i, bool fixed) {
  std::string s = "#include <ntddk.h>\r\n";
  for (int k = 0; k < 40; ++k)
    s += "void* f" + std::to_string(i) + "_" + std::to_string(k) + "(void) { return ExAllocatePoolWithTag(" +
         (fixed ? "NonPagedPoolNx" : "NonPagedPool") + ", " + std::to_string(k + 1) + ", 'kill'); }\r\n";
  return s;
}

TEST(FixKill, EveryFileIsOldOrNewAfterSigkill) {
  TempDir d;
  for (int i = 0; i < kFiles; ++i) d.write(name(i), body(i, false));
  const std::string first = d.path() + "/" + name(0);  // files are written in path order
  const std::string old0 = body(0, false);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (chdir(d.path().c_str()) != 0) _exit(127);
    int null = ::open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execl(NXPOOL_BIN, NXPOOL_BIN, "fix", "-j", "1", ".", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  bool exited = false;
  while (slurp(first) == old0) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
  }
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  ASSERT_FALSE(exited) << "the fixer ended before writing anything (status " << status << ")";
  int olds = 0, news = 0;
  for (int i = 0; i < kFiles; ++i) {
    std::string now = slurp(d.path() + "/" + name(i));
    bool is_old = now == body(i, false), is_new = now == body(i, true);
    EXPECT_TRUE(is_old || is_new) << name(i) << " is torn";
    olds += is_old;
    news += is_new;
  }
  EXPECT_GE(news, 1);
  std::printf("killed after %d of %d files were replaced\n", news, kFiles);
  // At most the one temporary file being written when the signal came.
  int temps = 0;
  for (const auto& e : std::filesystem::directory_iterator(d.path()))
    temps += e.path().filename().string().find(".nxpool-fix-") != std::string::npos;
  EXPECT_LE(temps, 1);
  // A later run finishes the job.
  auto r = nxpool::testing::nxpool(d.path(), "fix .");
  EXPECT_EQ(r.status, 0) << r.err;
  for (int i = 0; i < kFiles; ++i) EXPECT_EQ(slurp(d.path() + "/" + name(i)), body(i, true)) << name(i);
}

}  // namespace
