// "GIT binary patch" output for files git sees as binary (UTF-16 sources).
// git apply needs the old and new blob ids (SHA-1 of "blob <size>\0" and
// the contents) and the new contents zlib-compressed and base-85 encoded in
// lines of at most 52 bytes. Stored (uncompressed) deflate blocks are valid
// zlib data, so no compression library is needed; driver sources are small.
// Tested by tests/fix/edit_test.cpp (git apply of a UTF-16LE file).
#include <array>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "fix/edit.h"

namespace nxpool::fix {
namespace {

std::string sha1_hex(const std::string& data) {
  std::uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  std::string m = data;
  std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  m.push_back(static_cast<char>(0x80));
  while (m.size() % 64 != 56) m.push_back('\0');
  for (int i = 7; i >= 0; --i) m.push_back(static_cast<char>((bits >> (i * 8)) & 0xFF));
  auto rol = [](std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
  for (std::size_t off = 0; off < m.size(); off += 64) {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i) {
      w[i] = 0;
      for (int k = 0; k < 4; ++k) w[i] = (w[i] << 8) | static_cast<unsigned char>(m[off + i * 4 + k]);
    }
    for (int i = 16; i < 80; ++i) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      std::uint32_t f, k;
      if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
      else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
      else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
      else { f = b ^ c ^ d; k = 0xCA62C1D6; }
      std::uint32_t t = rol(a, 5) + f + e + k + w[i];
      e = d; d = c; c = rol(b, 30); b = a; a = t;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
  }
  return fmt::format("{:08x}{:08x}{:08x}{:08x}{:08x}", h[0], h[1], h[2], h[3], h[4]);
}

std::string blob_id(const std::string& data) {
  return sha1_hex("blob " + std::to_string(data.size()) + std::string(1, '\0') + data);
}

std::string zlib_stored(const std::string& data) {
  std::string out("\x78\x01", 2);
  std::size_t at = 0;
  do {
    std::size_t n = std::min<std::size_t>(65535, data.size() - at);
    bool last = at + n == data.size();
    out.push_back(last ? 1 : 0);
    out.push_back(static_cast<char>(n & 0xFF));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(~n & 0xFF));
    out.push_back(static_cast<char>((~n >> 8) & 0xFF));
    out.append(data, at, n);
    at += n;
  } while (at < data.size());
  std::uint32_t s1 = 1, s2 = 0;
  for (unsigned char ch : data) {
    s1 = (s1 + ch) % 65521;
    s2 = (s2 + s1) % 65521;
  }
  std::uint32_t adler = (s2 << 16) | s1;
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((adler >> (i * 8)) & 0xFF));
  return out;
}

std::string base85_lines(const std::string& data) {
  static const char* kAlphabet =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
  std::string out;
  for (std::size_t at = 0; at < data.size(); at += 52) {
    std::size_t n = std::min<std::size_t>(52, data.size() - at);
    out.push_back(n <= 26 ? static_cast<char>('A' + n - 1) : static_cast<char>('a' + n - 27));
    for (std::size_t i = 0; i < n; i += 4) {
      std::uint32_t acc = 0;
      for (std::size_t k = 0; k < 4; ++k)
        acc = (acc << 8) | (i + k < n ? static_cast<unsigned char>(data[at + i + k]) : 0u);
      char enc[5];
      for (int k = 4; k >= 0; --k) {
        enc[k] = kAlphabet[acc % 85];
        acc /= 85;
      }
      out.append(enc, 5);
    }
    out.push_back('\n');
  }
  return out;
}

}  // namespace

std::string binary_diff(const std::string& path, const std::string& old_bytes, const std::string& new_bytes) {
  if (old_bytes == new_bytes) return "";
  return fmt::format("diff --git a/{0} b/{0}\nindex {1}..{2}\nGIT binary patch\nliteral {3}\n{4}\nliteral {5}\n{6}\n",
                     path, blob_id(old_bytes), blob_id(new_bytes), new_bytes.size(),
                     base85_lines(zlib_stored(new_bytes)), old_bytes.size(), base85_lines(zlib_stored(old_bytes)));
}

}  // namespace nxpool::fix
