#include "cli/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace nxpool::cli {

Progress::Progress(std::string what) : what_(std::move(what)) {
  if (isatty(STDERR_FILENO)) thread_ = std::thread([this] { run(); });
}

Progress::~Progress() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Progress::run() {
  using namespace std::chrono;
  auto start = steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  if (cv_.wait_for(lock, seconds(1), [this] { return done_; })) return;
  bool shown = false;
  while (!done_) {
    auto s = duration_cast<seconds>(steady_clock::now() - start).count();
    std::fprintf(stderr, "\rnxpool: %s... %lld s", what_.c_str(), static_cast<long long>(s));
    std::fflush(stderr);
    shown = true;
    cv_.wait_for(lock, milliseconds(500), [this] { return done_; });
  }
  if (shown) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

}  // namespace nxpool::cli
