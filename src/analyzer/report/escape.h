// Line-oriented reports (text, msvc, the --modes table) print file names and
// messages that come from the scanned tree. A name with a newline or an
// escape sequence in it could forge a report line or a terminal's display
// (issue 10 item 3), so control characters are written as C escapes:
// "\n", "\r", "\t", "\\x1b"…, and a backslash before one stays readable.
// JSON and SARIF escape through their own encoders.
#pragma once

#include <string>
#include <string_view>

namespace nxpool::report {

inline std::string escape_control(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

}  // namespace nxpool::report
