#include "text_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include <fmt/format.h>

namespace nxpool::buildfiles {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return s.substr(b, e - b);
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

LineTable::LineTable(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(uint32_t(i + 1));
}

std::pair<int, int> LineTable::position(size_t offset) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), uint32_t(offset));
  size_t line = size_t(it - starts_.begin());  // 1-based
  return {int(line), int(offset - starts_[line - 1] + 1)};
}

namespace {
std::atomic<std::uint64_t> max_size{64u << 20};
}

std::uint64_t max_build_file_size() { return max_size.load(); }
void set_max_build_file_size(std::uint64_t bytes) { max_size.store(bytes); }

bool read_text_file(const std::string& path, std::string& out, std::string* why) {
  out.clear();
  auto fail = [&](std::string msg) {
    if (why) *why = std::move(msg);
    out.clear();
    return false;
  };
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return fail(std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st{};
  if (::fstat(fd, &st) != 0) return fail(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return fail("not a regular file");
  std::uint64_t limit = max_build_file_size();
  if (std::uint64_t(st.st_size) > limit)
    return fail(fmt::format("larger than the {} byte limit (--max-file-size)", limit));
  out.resize(size_t(st.st_size));
  size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::strerror(errno));
    if (n == 0) break;  // the file shrank while read
    got += size_t(n);
  }
  out.resize(got);
  return true;
}

static void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

std::string decode_text(std::string raw) {
  auto u = [&](size_t i) { return uint8_t(raw[i]); };
  if (raw.size() >= 3 && u(0) == 0xEF && u(1) == 0xBB && u(2) == 0xBF) return raw.substr(3);
  if (raw.size() < 2) return raw;
  bool le = u(0) == 0xFF && u(1) == 0xFE;
  bool be = u(0) == 0xFE && u(1) == 0xFF;
  if (!le && !be) return raw;
  std::string out;
  out.reserve(raw.size() / 2);
  for (size_t i = 2; i + 1 < raw.size(); i += 2) {
    uint32_t unit = le ? (u(i) | (u(i + 1) << 8)) : ((u(i) << 8) | u(i + 1));
    if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < raw.size()) {
      uint32_t low = le ? (u(i + 2) | (u(i + 3) << 8)) : ((u(i + 2) << 8) | u(i + 3));
      if (low >= 0xDC00 && low < 0xE000) {
        append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
        continue;
      }
    }
    append_utf8(out, unit);
  }
  return out;
}

model::InputDiagnostic make_diag(model::Severity severity, const model::SourceLoc& loc,
                                 std::string message) {
  model::InputDiagnostic d;
  d.loc = loc;
  d.severity = severity;
  d.message = std::move(message);
  return d;
}

bool parse_msbuild_number(std::string_view s, double& out) {
  std::string t(trim(s));
  if (t.empty()) return false;
  char* end = nullptr;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
    out = double(std::strtoll(t.c_str() + 2, &end, 16));
  else
    out = std::strtod(t.c_str(), &end);
  return end && *end == '\0';
}

int compare_versions(std::string_view a, std::string_view b) {
  auto pa = split(trim(a), '.'), pb = split(trim(b), '.');
  for (size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
    long x = i < pa.size() ? std::strtol(std::string(pa[i]).c_str(), nullptr, 10) : 0;
    long y = i < pb.size() ? std::strtol(std::string(pb[i]).c_str(), nullptr, 10) : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

}  // namespace nxpool::buildfiles
