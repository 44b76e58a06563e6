#include "compiler_args.h"

#include <fmt/format.h>

#include "paths.h"
#include "text_util.h"

namespace nxpool::buildfiles {

std::vector<std::string> split_command(std::string_view s, QuoteStyle style) {
  std::vector<std::string> out;
  std::string cur;
  bool have = false;
  size_t i = 0;
  auto flush = [&] {
    if (have) out.push_back(std::move(cur));
    cur.clear();
    have = false;
  };
  if (style == QuoteStyle::Windows) {
    // CommandLineToArgvW rules: 2n backslashes before '"' give n backslashes
    // and a quote toggle; 2n+1 give n backslashes and a literal '"'.
    bool quoted = false;
    while (i < s.size()) {
      char c = s[i];
      if (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
        flush();
        ++i;
      } else if (c == '\\') {
        size_t n = 0;
        while (i < s.size() && s[i] == '\\') ++n, ++i;
        if (i < s.size() && s[i] == '"') {
          cur.append(n / 2, '\\');
          if (n % 2) {
            cur += '"';
            ++i;
          }
        } else {
          cur.append(n, '\\');
        }
        have = true;
      } else if (c == '"') {
        if (quoted && i + 1 < s.size() && s[i + 1] == '"') {
          cur += '"';  // "" inside quotes is a literal quote
          i += 2;
        } else {
          quoted = !quoted;
          ++i;
        }
        have = true;
      } else {
        cur += c;
        have = true;
        ++i;
      }
    }
  } else {
    while (i < s.size()) {
      char c = s[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        flush();
        ++i;
      } else if (c == '\'') {
        size_t end = s.find('\'', i + 1);
        if (end == std::string_view::npos) end = s.size();
        cur.append(s.substr(i + 1, end - i - 1));
        have = true;
        i = end + 1;
      } else if (c == '"') {
        ++i;
        while (i < s.size() && s[i] != '"') {
          if (s[i] == '\\' && i + 1 < s.size() &&
              (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == '$' || s[i + 1] == '`')) {
            cur += s[i + 1];
            i += 2;
          } else {
            cur += s[i++];
          }
        }
        ++i;
        have = true;
      } else if (c == '\\' && i + 1 < s.size()) {
        if (s[i + 1] != '\n') cur += s[i + 1];
        i += 2;
        have = true;
      } else {
        cur += c;
        have = true;
        ++i;
      }
    }
  }
  flush();
  return out;
}

static bool is_msvc_driver(std::string_view exe) {
  std::string_view name = file_name(exe);
  if (iends_with(name, ".exe")) name.remove_suffix(4);
  return iequals(name, "cl") || iequals(name, "clang-cl");
}

QuoteStyle guess_quote_style(std::string_view command) {
  command = trim(command);
  std::string_view first;
  if (!command.empty() && command[0] == '"') {
    size_t end = command.find('"', 1);
    first = command.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1);
  } else {
    first = command.substr(0, command.find_first_of(" \t"));
  }
  if (first.size() >= 3 && first[1] == ':' && (first[2] == '\\' || first[2] == '/'))
    return QuoteStyle::Windows;
  return is_msvc_driver(first) ? QuoteStyle::Windows : QuoteStyle::Posix;
}

bool parse_definition_text(std::string_view text, bool msvc, model::Definition& out) {
  size_t eq = text.find('=');
  if (msvc) {
    size_t hash = text.find('#');
    if (hash < eq) eq = hash;
  }
  std::string_view name = text.substr(0, eq);
  if (name.empty()) return false;
  out.name = std::string(name);
  if (eq == std::string_view::npos)
    out.value.reset();
  else
    out.value = std::string(text.substr(eq + 1));
  return true;
}

model::Arch arch_from_triple(std::string_view t) {
  if (istarts_with(t, "aarch64") || istarts_with(t, "arm64")) return model::Arch::Arm64;
  if (istarts_with(t, "x86_64") || istarts_with(t, "amd64")) return model::Arch::X64;
  if (istarts_with(t, "i386") || istarts_with(t, "i486") || istarts_with(t, "i586") ||
      istarts_with(t, "i686") || istarts_with(t, "x86"))
    return model::Arch::X86;
  if (istarts_with(t, "arm") || istarts_with(t, "thumb")) return model::Arch::Arm;
  return model::Arch::Unknown;
}

model::Arch arch_from_compiler_path(std::string_view compiler) {
  std::string norm(compiler);
  for (char& c : norm)
    if (c == '\\') c = '/';
  if (!is_msvc_driver(norm)) return model::Arch::Unknown;
  std::string_view dir(norm);
  size_t slash = dir.find_last_of('/');
  if (slash == std::string_view::npos) return model::Arch::Unknown;
  std::string_view target = file_name(dir.substr(0, slash));
  if (iequals(target, "x64") || iequals(target, "amd64")) return model::Arch::X64;
  if (iequals(target, "x86")) return model::Arch::X86;
  if (iequals(target, "arm64")) return model::Arch::Arm64;
  if (iequals(target, "arm")) return model::Arch::Arm;
  return model::Arch::Unknown;
}

namespace {

struct ArgApplier {
  const std::string& directory;
  QuoteStyle style;
  FileSystem& fs;
  model::CompileUnit& unit;
  std::vector<model::InputDiagnostic>& diags;

  std::string path_arg(std::string_view p) {
    std::string norm = normalize_path(p, directory);
    if (auto real = fs.resolve(norm)) return *real;
    return norm;
  }

  void define(std::string_view text, const model::SourceLoc& loc, bool undefine, bool msvc) {
    model::Definition d;
    if (!parse_definition_text(text, msvc && !undefine, d)) {
      diags.push_back(make_diag(model::Severity::Warning, loc,
                                fmt::format("'{}' names no macro; ignored",
                                            undefine ? "-U" : "-D")));
      return;
    }
    if (undefine) d.value.reset();
    d.undefine = undefine;
    d.origin = loc;
    unit.definitions.push_back(std::move(d));
  }

  void run(const std::vector<Arg>& args, int depth) {
    for (size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i].text;
      const model::SourceLoc& loc = args[i].loc;
      auto next = [&](std::string& out) {
        if (i + 1 >= args.size()) return false;
        out = args[++i].text;
        return true;
      };
      if (a.empty()) continue;
      if (a[0] == '@') {
        response_file(a.substr(1), loc, depth);
        continue;
      }
      bool dash = a[0] == '-';
      // '/' options only for cl-style commands: elsewhere "/Dev/x.c" is a path.
      bool slash = a[0] == '/' && a.size() > 1 && style == QuoteStyle::Windows;
      if (!dash && !slash) continue;
      std::string_view opt = std::string_view(a).substr(1);
      std::string value;
      // Options whose value may be joined or the next argument.
      auto joined_or_next = [&](std::string_view name, bool icase) -> bool {
        bool match = icase ? istarts_with(opt, name) : opt.substr(0, name.size()) == name;
        if (!match) return false;
        if (opt.size() > name.size())
          value = std::string(opt.substr(name.size()));
        else if (!next(value))
          value.clear();
        return true;
      };
      if (dash && opt == "include") {
        if (next(value)) unit.forced_includes.push_back(path_arg(value));
      } else if (dash && (opt == "imacros" || opt == "o" || opt == "MF" || opt == "MT" ||
                          opt == "MQ" || opt == "Xclang" || opt == "isysroot" ||
                          opt == "arch")) {
        next(value);
      } else if (dash && opt == "target") {
        if (next(value) && unit.arch == model::Arch::Unknown) unit.arch = arch_from_triple(value);
      } else if (dash && opt.substr(0, 8) == "-target=") {
        unit.arch = arch_from_triple(opt.substr(8));
      } else if (dash && (opt == "isystem" || opt == "iquote" || opt == "idirafter")) {
        if (next(value)) unit.include_dirs.push_back(path_arg(value));
      } else if (slash && istarts_with(opt, "external:I")) {
        value = std::string(opt.substr(10));
        if (value.empty()) next(value);
        if (!value.empty()) unit.include_dirs.push_back(path_arg(value));
      } else if (slash && istarts_with(opt, "kernel")) {
        unit.kernel_mode = opt.size() == 6;  // /kernel- turns it off
      } else if (slash && (opt == "TP" || opt == "Tp")) {
        unit.cplusplus = true;
        if (opt == "Tp" && a.size() == 3) next(value);
      } else if (slash && (opt == "TC" || opt == "Tc")) {
        unit.cplusplus = false;
        if (opt == "Tc" && a.size() == 3) next(value);
      } else if (dash && opt[0] == 'x') {  // -x c++ / -xc++ (GCC has no other -x… option)
        if (opt == "x") next(value); else value = std::string(opt.substr(1));
        if (value == "c++" || value == "c++-header") unit.cplusplus = true;
        else if (value == "c" || value == "c-header") unit.cplusplus = false;
      } else if (joined_or_next("D", false)) {
        define(value, loc, false, slash);
      } else if (joined_or_next("U", false)) {
        define(value, loc, true, slash);
      } else if (joined_or_next("I", false)) {
        if (!value.empty()) unit.include_dirs.push_back(path_arg(value));
      } else if (slash && joined_or_next("FI", false)) {
        if (!value.empty()) unit.forced_includes.push_back(path_arg(value));
      }
    }
  }

  void response_file(const std::string& name, const model::SourceLoc& loc, int depth) {
    if (depth >= 8) {
      diags.push_back(make_diag(model::Severity::Error, loc,
                                fmt::format("response file '@{}' nested too deeply", name)));
      return;
    }
    std::string path = path_arg(name);
    std::string text, why;
    if (!read_text_file(path, text, &why)) {
      diags.push_back(make_diag(model::Severity::Error, loc,
                                fmt::format("cannot read response file '{}': {}", path, why)));
      return;
    }
    text = decode_text(std::move(text));
    std::vector<Arg> inner;
    for (auto& word : split_command(text, style)) inner.push_back(Arg{std::move(word), loc});
    run(inner, depth + 1);
  }
};

}  // namespace

void apply_compiler_args(const std::vector<Arg>& args, const std::string& directory,
                         QuoteStyle style, FileSystem& fs, model::CompileUnit& unit,
                         std::vector<model::InputDiagnostic>& diags) {
  ArgApplier{directory, style, fs, unit, diags}.run(args, 0);
}

}  // namespace nxpool::buildfiles
