// Decoding rules, in the order they are tried:
//   1. EF BB BF            UTF-8 with BOM: drop the three bytes.
//   2. FF FE / FE FF       UTF-16 LE / BE with BOM: transcode to UTF-8.
//                          Unpaired surrogates become U+FFFD; they cannot
//                          matter for the identifiers the scanner looks for.
//   3. a NUL byte in the   binary (object file, image, UTF-32...): skipped
//      first 64 KiB        with a note instead of producing garbage tokens.
//   4. otherwise           taken as UTF-8 or any ASCII-compatible code page;
//                          bytes >= 0x80 are only ever part of identifiers,
//                          comments or literals, so no decoding is needed.
// Tested by tests/analyzer/source_file_test.cpp.
#include "lex/source_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <sys/stat.h>

namespace nxpool::lex {
namespace {

void put_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string utf16_to_utf8(std::string_view in, bool big_endian) {
  std::string out;
  out.reserve(in.size() / 2 + 16);
  auto unit = [&](std::size_t i) -> std::uint32_t {
    auto a = static_cast<unsigned char>(in[i]);
    auto b = static_cast<unsigned char>(in[i + 1]);
    return big_endian ? (a << 8 | b) : (b << 8 | a);
  };
  std::size_t n = in.size() & ~std::size_t{1};
  for (std::size_t i = 0; i < n; i += 2) {
    std::uint32_t u = unit(i);
    if (u >= 0xD800 && u < 0xDC00 && i + 3 < n) {
      std::uint32_t lo = unit(i + 2);
      if (lo >= 0xDC00 && lo < 0xE000) {
        put_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        i += 2;
        continue;
      }
    }
    if (u >= 0xD800 && u < 0xE000) u = 0xFFFD;
    put_utf8(out, u);
  }
  return out;
}

}  // namespace

SourceText decode_source(std::string bytes) {
  SourceText st;
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  if (bytes.size() >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) {
    bytes.erase(0, 3);
    st.text = std::move(bytes);
    return st;
  }
  if (bytes.size() >= 2 && ((b(0) == 0xFF && b(1) == 0xFE) || (b(0) == 0xFE && b(1) == 0xFF))) {
    bool be = b(0) == 0xFE;
    st.text = utf16_to_utf8(std::string_view(bytes).substr(2), be);
    st.transcoded = true;
    st.message = be ? "transcoded from UTF-16BE" : "transcoded from UTF-16LE";
    return st;
  }
  std::size_t probe = bytes.size() < (64u << 10) ? bytes.size() : (64u << 10);
  if (std::memchr(bytes.data(), 0, probe) != nullptr) {
    st.status = LoadStatus::Binary;
    st.message = "binary file (NUL bytes, no UTF-16 byte-order mark); skipped";
    return st;
  }
  st.text = std::move(bytes);
  return st;
}

SourceText load_source(const std::string& path) {
  SourceText st;
  struct stat sb;
  if (::stat(path.c_str(), &sb) == 0 && !S_ISREG(sb.st_mode)) {
    st.status = LoadStatus::Unreadable;
    st.message = S_ISDIR(sb.st_mode) ? "is a directory" : "not a regular file";
    return st;
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    st.status = LoadStatus::Unreadable;
    st.message = std::string("cannot open: ") + std::strerror(errno);
    return st;
  }
  std::string bytes;
  if (std::fseek(f, 0, SEEK_END) == 0) {
    long size = std::ftell(f);
    if (size > 0 && static_cast<std::uint64_t>(size) > kMaxSourceBytes) {
      std::fclose(f);
      st.status = LoadStatus::TooLarge;
      st.message = "file larger than 512 MiB; skipped";
      return st;
    }
    if (size > 0) bytes.reserve(static_cast<std::size_t>(size));
    std::fseek(f, 0, SEEK_SET);
  }
  char chunk[1 << 16];
  for (;;) {
    std::size_t got = std::fread(chunk, 1, sizeof chunk, f);
    bytes.append(chunk, got);
    if (got < sizeof chunk) break;
    if (bytes.size() > kMaxSourceBytes) {
      std::fclose(f);
      st.status = LoadStatus::TooLarge;
      st.message = "file larger than 512 MiB; skipped";
      return st;
    }
  }
  bool failed = std::ferror(f) != 0;
  int err = errno;
  std::fclose(f);
  if (failed) {
    st.status = LoadStatus::Unreadable;
    st.message = std::string("read error: ") + std::strerror(err);
    return st;
  }
  return decode_source(std::move(bytes));
}

}  // namespace nxpool::lex
