// Loading one input file into memory for the lexer.
//
// A file is read with a single read into one std::string. The bytes are
// classified once: a UTF-8 BOM is skipped (columns still start at 1), a
// UTF-16 LE or BE file with a BOM is transcoded to UTF-8 (real drivers
// #include such headers), and anything else that contains NUL bytes is
// reported as binary and not lexed at all. The lexer never sees a BOM.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nxpool::lex {

enum class LoadStatus {
  Ok,          // text is ready to lex
  Binary,      // skipped: NUL bytes and no UTF-16 BOM
  Unreadable,  // could not be opened or read (message says why)
  TooLarge,    // bigger than kMaxSourceBytes
};

inline constexpr std::uint64_t kMaxSourceBytes = 512ull << 20;

struct SourceText {
  LoadStatus status = LoadStatus::Ok;
  std::string text;     // UTF-8 (BOM removed), valid only when status == Ok
  std::string message;  // why it was skipped, or a note (e.g. "transcoded from UTF-16LE")
  bool transcoded = false;
};

// Reads `path` from disk. Never throws.
SourceText load_source(const std::string& path);

// Classifies and decodes bytes already in memory (used by load_source and
// by tests and the fuzzer). `bytes` is consumed.
SourceText decode_source(std::string bytes);

}  // namespace nxpool::lex
