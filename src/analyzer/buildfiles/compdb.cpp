// compile_commands.json -> compile units.
//
// The JSON library does not report where an object starts, yet every
// definition should point back at its entry. So we make one cheap extra pass
// over the raw text: a tiny scanner that tracks only strings and nesting depth
// records the offset of each '{' that opens an element of the top-level array.
// Entry N's definitions then carry that '{' as their line:col. A parse error is
// reported at the byte offset the JSON parser gives, converted to line:col.
//
// Entries: `file` and `directory` are required; `arguments` (already split) is
// preferred over `command` (split with the quoting of the shell it was written
// for: cmd.exe rules when the compiler is cl/clang-cl, POSIX otherwise). A bad
// entry is reported and skipped; the other entries are still read.
// Units from a compilation database have no configuration ("") and no image
// ("" = the scanner's default image): the database does not say how objects
// are linked. kernel_mode keeps the model default (true) unless /kernel- says
// otherwise; architecture comes from --target= or the cl.exe host/target path.
//
// Tested by tests/buildfiles/compdb_test.cpp.
#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "build.h"
#include "compiler_args.h"
#include "paths.h"
#include "text_util.h"

namespace nxpool::buildfiles {

namespace {

// Offsets of the '{' of each element of the top-level array.
std::vector<size_t> entry_offsets(std::string_view text) {
  std::vector<size_t> out;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
    } else if (c == '[' || c == '{') {
      if (c == '{' && depth == 1) out.push_back(i);
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return out;
}

}  // namespace

model::BuildModel load_compile_commands(const std::string& file_or_dir) {
  model::BuildModel result;
  std::string path = normalize_path(file_or_dir, std::filesystem::current_path().string());
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) path += "/compile_commands.json";
  model::SourceLoc file_loc{path, 0, 0};

  std::string text, why;
  if (!read_text_file(path, text, &why)) {
    result.diagnostics.push_back(
        make_diag(model::Severity::Error, file_loc, "cannot read compilation database: " + why));
    return result;
  }
  text = decode_text(std::move(text));
  LineTable lines(text);

  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, col] = lines.position(e.byte > 0 ? e.byte - 1 : 0);
    std::string what = e.what();
    size_t colon = what.rfind(": ");
    result.diagnostics.push_back(make_diag(
        model::Severity::Error, {path, line, col},
        fmt::format("malformed compile_commands.json: {}",
                    colon == std::string::npos ? what : what.substr(colon + 2))));
    return result;
  } catch (const nlohmann::json::exception& e) {
    // Not a syntax error but a value the library cannot hold (a number
    // beyond a double's range): no byte position comes with it.
    std::string what = e.what();
    size_t bracket = what.find("] ");
    result.diagnostics.push_back(make_diag(
        model::Severity::Error, {path, 1, 1},
        fmt::format("malformed compile_commands.json: {}",
                    bracket == std::string::npos ? what : what.substr(bracket + 2))));
    return result;
  }
  if (!doc.is_array()) {
    result.diagnostics.push_back(make_diag(model::Severity::Error, {path, 1, 1},
                                           "compile_commands.json must be a JSON array"));
    return result;
  }

  std::vector<size_t> offsets = entry_offsets(text);
  FileSystem fs;
  for (size_t n = 0; n < doc.size(); ++n) {
    const auto& entry = doc[n];
    model::SourceLoc loc = file_loc;
    if (n < offsets.size()) {
      auto [line, col] = lines.position(offsets[n]);
      loc.line = line;
      loc.column = col;
    }
    auto bad = [&](const char* why) {
      result.diagnostics.push_back(make_diag(model::Severity::Error, loc,
                                             fmt::format("compile command {} skipped: {}", n + 1, why)));
    };
    if (!entry.is_object()) { bad("not an object"); continue; }
    auto dir_it = entry.find("directory");
    auto file_it = entry.find("file");
    if (dir_it == entry.end() || !dir_it->is_string()) { bad("no \"directory\" string"); continue; }
    if (file_it == entry.end() || !file_it->is_string()) { bad("no \"file\" string"); continue; }

    std::vector<std::string> words;
    QuoteStyle style = QuoteStyle::Posix;
    auto args_it = entry.find("arguments");
    auto cmd_it = entry.find("command");
    if (args_it != entry.end() && args_it->is_array()) {
      bool ok = true;
      for (const auto& a : *args_it) {
        if (!a.is_string()) { ok = false; break; }
        words.push_back(a.get<std::string>());
      }
      if (!ok) { bad("\"arguments\" holds a non-string"); continue; }
      if (!words.empty()) style = guess_quote_style(words[0].find(' ') == std::string::npos
                                                        ? words[0] : "\"" + words[0] + "\"");
    } else if (cmd_it != entry.end() && cmd_it->is_string()) {
      const std::string& command = cmd_it->get_ref<const std::string&>();
      style = guess_quote_style(command);
      words = split_command(command, style);
    } else {
      bad("neither \"arguments\" nor \"command\"");
      continue;
    }

    std::string directory = normalize_path(dir_it->get<std::string>(), parent_dir(path));
    model::CompileUnit unit;
    std::string source = normalize_path(file_it->get<std::string>(), directory);
    unit.source = fs.resolve(source).value_or(source);
    std::string_view ext = file_ext(unit.source);
    unit.cplusplus = !(iequals(ext, ".c") || iequals(ext, ".h"));
    if (!words.empty()) unit.arch = arch_from_compiler_path(words[0]);
    std::vector<Arg> args;
    for (size_t i = 1; i < words.size(); ++i) args.push_back(Arg{std::move(words[i]), loc});
    apply_compiler_args(args, directory, style, fs, unit, result.diagnostics);
    result.units.push_back(std::move(unit));
  }
  return result;
}

}  // namespace nxpool::buildfiles
