// Replacing a file's contents so that, whatever happens (a crash, SIGKILL,
// a full disk), the file is either entirely old or entirely new.
#pragma once

#include <string>
#include <sys/types.h>

namespace nxpool::fix {

enum class WriteStatus { Written, Changed, Failed };

struct WriteResult {
  WriteStatus status = WriteStatus::Failed;
  std::string message;  // why, for Changed and Failed
};

// Writes `bytes` to a temporary file in the directory of `path` (the real
// file when `path` is a symbolic link), flushes it to disk, gives it
// `mode`, re-reads `path` and compares it with `expected` (what the fixer
// read): if another program changed it meanwhile, the temporary file is
// removed and Changed returned. Otherwise the temporary file is renamed over
// the original and the directory flushed.
WriteResult replace_file(const std::string& path, const std::string& expected, const std::string& bytes, mode_t mode);

}  // namespace nxpool::fix
