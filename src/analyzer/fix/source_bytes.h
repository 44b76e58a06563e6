// One source file as the fixer reads and writes it: the exact bytes on
// disk, the text the lexer sees (BOM removed, UTF-16 transcoded to UTF-8),
// and the way back. Edits are made on the text; encode() turns the edited
// text into bytes in the file's own encoding, so every byte outside an edit
// is written back exactly as it was (line endings per line, trailing
// whitespace, a missing final newline are all just bytes of the text).
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>

namespace nxpool::fix {

enum class Encoding { Plain, Utf8Bom, Utf16Le, Utf16Be };

struct SourceBytes {
  std::string path;        // as given (display path)
  std::string bytes;       // exactly what was read
  std::string text;        // what the lexer sees
  Encoding encoding = Encoding::Plain;
  mode_t mode = 0644;      // permission bits, restored on the new file
  std::string error;       // non-empty: not usable (unreadable, binary, not round-trippable)
};

// Reads `path`. A UTF-16 file whose transcoding does not round-trip byte for
// byte (unpaired surrogates, an odd trailing byte) is refused, with `error`
// saying so, because writing it back would change bytes no fix touched.
SourceBytes read_source_bytes(const std::string& path);

// The bytes for `text` in the file's encoding (BOM first when it had one).
std::string encode(const SourceBytes& src, const std::string& text);

}  // namespace nxpool::fix
