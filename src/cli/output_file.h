// Writing the report where it cannot be forged or lost (issue 10 item 2).
//
// -o FILE: an existing directory is refused; an existing file that is not a
// regular file (FIFO, terminal, /dev/null, /dev/full) is written directly and
// never replaced; otherwise the report goes to a temporary file created
// exclusively with an unpredictable name in FILE's directory (mkstemp), is
// fsync'ed, and renamed over FILE. The temporary file is removed on every
// error path and on SIGINT/SIGTERM/SIGHUP. Standard output: every byte is
// written or the write error is reported (a closed pipe is EPIPE, not a
// silent SIGPIPE death).
// Tested by tests/hostile/ (item02_*).
#pragma once

#include <string>
#include <string_view>

namespace nxpool::cli {

// Returns true when all of `data` reached its destination; else false with
// `error` set ("cannot write FILE: reason").
bool write_output_file(const std::string& path, std::string_view data, std::string& error);
bool write_stdout(std::string_view data, std::string& error);

}  // namespace nxpool::cli
