// A progress line on stderr for scans that take a while: nothing for the
// first second (most scans finish sooner), then "nxpool: scanning ... 3 s"
// rewritten in place until the scan ends, when the line is erased. Only
// when stderr is a terminal, so logs and pipes never see it.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace nxpool::cli {

class Progress {
 public:
  explicit Progress(std::string what);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

 private:
  void run();
  std::string what_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace nxpool::cli
