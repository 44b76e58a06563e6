// Tested by tests/fix/source_bytes_test.cpp (CRLF, BOM, UTF-16LE/BE, no
// final newline, refusal of a UTF-16 file that does not round-trip).
#include "fix/source_bytes.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include "lex/source_file.h"

namespace nxpool::fix {
namespace {

// UTF-8 to UTF-16 code units; the inverse of the lexer's decoder for every
// text that decoder produced from well-formed UTF-16.
std::string utf8_to_utf16(const std::string& in, bool big_endian) {
  std::string out;
  out.reserve(in.size() * 2);
  auto put = [&](std::uint32_t u) {
    char lo = static_cast<char>(u & 0xFF), hi = static_cast<char>(u >> 8);
    if (big_endian) { out.push_back(hi); out.push_back(lo); }
    else { out.push_back(lo); out.push_back(hi); }
  };
  for (std::size_t i = 0; i < in.size();) {
    auto c = static_cast<unsigned char>(in[i]);
    std::uint32_t cp;
    std::size_t n;
    if (c < 0x80) { cp = c; n = 1; }
    else if ((c >> 5) == 6) { cp = c & 0x1F; n = 2; }
    else if ((c >> 4) == 14) { cp = c & 0x0F; n = 3; }
    else { cp = c & 0x07; n = 4; }
    for (std::size_t k = 1; k < n && i + k < in.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(in[i + k]) & 0x3F);
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xD800 + (cp >> 10));
      put(0xDC00 + (cp & 0x3FF));
    } else {
      put(cp);
    }
  }
  return out;
}

}  // namespace

std::string encode(const SourceBytes& src, const std::string& text) {
  switch (src.encoding) {
    case Encoding::Plain: return text;
    case Encoding::Utf8Bom: return "\xEF\xBB\xBF" + text;
    case Encoding::Utf16Le: return std::string("\xFF\xFE", 2) + utf8_to_utf16(text, false);
    case Encoding::Utf16Be: return std::string("\xFE\xFF", 2) + utf8_to_utf16(text, true);
  }
  return text;
}

SourceBytes read_source_bytes(const std::string& path) {
  SourceBytes s;
  s.path = path;
  struct stat sb;
  if (::stat(path.c_str(), &sb) != 0) {
    s.error = std::string("cannot read: ") + std::strerror(errno);
    return s;
  }
  if (!S_ISREG(sb.st_mode)) {
    s.error = "not a regular file";
    return s;
  }
  s.mode = sb.st_mode & 07777;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (!in && !in.eof()) {
    s.error = "read error";
    return s;
  }
  s.bytes = std::move(buf).str();
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(s.bytes[i]); };
  if (s.bytes.size() >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) s.encoding = Encoding::Utf8Bom;
  else if (s.bytes.size() >= 2 && b(0) == 0xFF && b(1) == 0xFE) s.encoding = Encoding::Utf16Le;
  else if (s.bytes.size() >= 2 && b(0) == 0xFE && b(1) == 0xFF) s.encoding = Encoding::Utf16Be;
  lex::SourceText st = lex::decode_source(s.bytes);
  if (st.status != lex::LoadStatus::Ok) {
    s.error = st.message;
    return s;
  }
  s.text = std::move(st.text);
  if (encode(s, s.text) != s.bytes) {
    s.error = "its UTF-16 text does not convert back to the same bytes (unpaired surrogate or odd length); not edited";
    s.text.clear();
  }
  return s;
}

}  // namespace nxpool::fix
