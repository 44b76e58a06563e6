// What the preprocessor gets for one unit: the compiler's predefined macros
// for its architecture and mode, the NX control macros cleared, then the
// unit's definitions in command-line order, each with the place that wrote
// it (so findings and --modes can say where a mode came from).
// Tested through tests/analyzer/scanner_test.cpp and case_runner_test.cpp.
#include "scan/unit_input.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "pp/file_cache.h"
#include "scan/target_version.h"

namespace nxpool::scan {
namespace fs = std::filesystem;

namespace {

void add_arch(std::string& pre, std::vector<std::string>& origins, model::Arch a) {
  struct M {
    const char* name;
    const char* value;
    model::Arch arch;
  };
  static const M kMacros[] = {
      {"_AMD64_", "1", model::Arch::X64},   {"_M_AMD64", "100", model::Arch::X64}, {"_M_X64", "100", model::Arch::X64},
      {"_X86_", "1", model::Arch::X86},     {"_M_IX86", "600", model::Arch::X86},  {"_ARM64_", "1", model::Arch::Arm64},
      {"_M_ARM64", "1", model::Arch::Arm64}, {"_ARM_", "1", model::Arch::Arm},      {"_M_ARM", "7", model::Arch::Arm},
  };
  std::string origin = std::string("<predefined for ") + arch_name(a) + ">";
  for (const M& m : kMacros) {
    pre += m.arch == a ? std::string("#define ") + m.name + " " + m.value + "\n" : std::string("#undef ") + m.name + "\n";
    origins.push_back(origin);
  }
  bool w64 = a == model::Arch::X64 || a == model::Arch::Arm64;
  pre += w64 ? "#define _WIN64 1\n" : "#undef _WIN64\n";
  origins.push_back(origin);
}

// Kernel-mode units know the sdkddkver.h constants; a unit whose build names
// its target also gets NTDDI_VERSION, _WIN32_WINNT and WINVER (issue 9
// item 3). The unit's own definitions come later and win.
template <typename Line>
void add_target_version(const model::CompileUnit& u, Line& line, bool origins) {
  if (!u.kernel_mode) return;
  const std::string kConstants = "<sdkddkver.h values>";
  for (const std::string& l : version_constant_lines()) line(l, kConstants);
  std::string origin = !origins ? std::string()
                       : !u.target_note.empty() ? u.target_note
                       : u.target_origin.file.empty()
                           ? std::string("<build target>")
                           : pp::display_path(u.target_origin.file) +
                                 (u.target_origin.line ? ":" + std::to_string(u.target_origin.line) : "");
  for (const std::string& l : target_version_lines(u.ntddi_version)) line(l, origin);
}

}  // namespace

std::string lower_ext(const std::string& path) {
  std::string e = fs::path(path).extension().string();
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e;
}

bool is_macro_name(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}


model::Arch unit_arch(const PendingUnit& pu, const ScanOptions& opt) {
  return pu.unit.arch == model::Arch::Unknown ? opt.arch : pu.unit.arch;
}

pp::UnitInput make_input(const PendingUnit& pu, const ScanOptions& opt, model::Arch arch, bool origins) {
  pp::UnitInput in;
  in.main_file = pu.path;
  const model::CompileUnit& u = pu.unit;
  std::string ext = lower_ext(pu.path);
  in.cplusplus = u.cplusplus || ext == ".cpp" || ext == ".cc" || ext == ".cxx" || ext == ".c++" || ext == ".hpp" ||
                 ext == ".hh" || ext == ".hxx";
  in.predefines.reserve(4096);
  auto line = [&](const std::string& l, const std::string& origin) {
    in.predefines += l;
    in.predefines += '\n';
    if (origins) in.predefine_origins.push_back(origin);
    else in.predefine_origins.emplace_back();
  };
  line(u.kernel_mode ? "#define _KERNEL_MODE 1" : "#undef _KERNEL_MODE", "<predefined: /kernel>");
  line("#define _WIN32 1", "<predefined>");
  line("#undef _NTOS_", "<predefined>");
  line(in.cplusplus ? "#define __cplusplus 201703L" : "#undef __cplusplus", "<predefined>");
  add_arch(in.predefines, in.predefine_origins, arch);
  for (const char* nx : {"POOL_NX_OPTIN", "POOL_NX_OPTIN_AUTO", "POOL_NX_OPTOUT", "POOL_ZERO_DOWN_LEVEL_SUPPORT"})
    line(std::string("#undef ") + nx, "<predefined>");
  add_target_version(u, line, origins);
  for (const model::Definition& d : u.definitions) {
    std::string origin = !origins ? std::string()
                         : d.origin.file.empty() || d.origin.file == "<command line>"
                             ? "the command line (-D" + d.name + (d.value ? "=" + *d.value : "") + ")"
                             : pp::display_path(d.origin.file) +
                                   (d.origin.line ? ":" + std::to_string(d.origin.line) : "");
    std::string value = d.value ? *d.value : "1";
    std::replace(value.begin(), value.end(), '\n', ' ');
    std::replace(value.begin(), value.end(), '\r', ' ');
    std::string name = d.name;
    // Not a macro name (e.g. "/wd4996" written into PreprocessorDefinitions):
    // the compiler rejects it, so it defines nothing; scan() reports it once
    // at the build file that wrote it.
    if (!is_macro_name(name)) continue;
    line(d.undefine ? "#undef " + name : "#define " + name + " " + value, origin);
  }
  for (const std::string& dir : u.include_dirs) in.include_dirs.push_back(pp::normalize_path(dir));
  in.forced_includes = u.forced_includes;
  in.precompiled_header = u.precompiled_header;
  (void)opt;
  return in;
}

// Everything the preprocessor sees, as one string, except where each
// predefined line came from: units with equal keys preprocess to the same
// tokens and latch, so they share one preprocessing. The configurations of a
// project usually differ only in that (Debug and Release repeat the same
// definitions on different lines of the project): the Windows-driver-samples
// tree has 4547 units but about 2360 keys.
std::string input_key(const pp::UnitInput& in) {
  std::string k;
  auto add = [&](const std::string& s) {
    k += s;
    k += '\0';
  };
  add(in.main_file);
  add(in.cplusplus ? "c++" : "c");
  add(in.predefines);
  k += '\1';
  for (const std::string& d : in.include_dirs) add(d);
  k += '\1';
  for (const std::string& f : in.forced_includes) add(f);
  k += '\1';
  add(in.precompiled_header);
  return k;
}

model::InputDiagnostic input_diag(const std::string& file, std::uint32_t line, std::uint32_t col,
                                  model::Severity sev, std::string msg) {
  model::InputDiagnostic d;
  d.loc.file = file;
  d.loc.line = static_cast<int>(line);
  d.loc.column = static_cast<int>(col);
  d.severity = sev;
  d.message = std::move(msg);
  return d;
}

bool is_source_extension(const std::string& path) {
  std::string e = lower_ext(path);
  return e == ".c" || e == ".cc" || e == ".cpp" || e == ".cxx" || e == ".c++";
}

bool is_header_extension(const std::string& path) {
  std::string e = lower_ext(path);
  return e == ".h" || e == ".hh" || e == ".hpp" || e == ".hxx" || e == ".h++" || e == ".inl";
}

}  // namespace nxpool::scan
