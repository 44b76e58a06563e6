// The hand-off between the build readers (compile_commands.json, MSBuild,
// WDK `sources`) and the scanner: one CompileUnit per source file per
// configuration, grouped into the images (driver .sys, DLL, static library)
// they are linked into. Build readers fill these; the scanner only reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nxpool::model {

// A position in an input file (1-based line and column; 0 = unknown).
struct SourceLoc {
  std::string file;
  int line = 0;
  int column = 0;
};

// One -D / -U / /D / /U, or a <PreprocessorDefinitions> entry, in the order
// the compiler would see it. `value` is empty-optional for a bare `-DNAME`
// (which means NAME=1) and an empty string for `-DNAME=`.
struct Definition {
  std::string name;
  std::optional<std::string> value;
  bool undefine = false;  // -U NAME / UndefinePreprocessorDefinitions
  SourceLoc origin;       // where it was written: build file, or "<command line>"
};

enum class Arch { Unknown, X86, X64, Arm, Arm64 };

// "x86", "x64", "arm", "arm64" or "unknown": the spelling of --arch, of the
// JSON `arch` field and of the model dumps.
inline const char* arch_name(Arch a) {
  switch (a) {
    case Arch::X86: return "x86";
    case Arch::X64: return "x64";
    case Arch::Arm: return "arm";
    case Arch::Arm64: return "arm64";
    default: return "unknown";
  }
}

struct CompileUnit {
  std::string source;                    // path of the .c/.cpp as given/resolved
  std::string config;                    // "Release|x64"; "" when there is none
  Arch arch = Arch::Unknown;             // Unknown: the scanner's --arch applies
  std::vector<Definition> definitions;   // in command-line order
  std::vector<std::string> include_dirs; // -I, AdditionalIncludeDirectories, INCLUDES
  std::vector<std::string> forced_includes;  // /FI, -include, ForcedIncludeFiles
  bool cplusplus = false;                // compiled as C++
  bool kernel_mode = true;               // /kernel: predefines _KERNEL_MODE
  std::string image;                     // Image::name this unit is built into
  // /Yu precompiled header (MSBuild PrecompiledHeader=Use, sources
  // PRECOMPILED_INCLUDE); "" = none. MSVC ignores the source text before the
  // #include of this header, so a #define placed there has no effect.
  std::string precompiled_header;
  // The Windows version the configuration targets, as an NTDDI_VERSION value
  // (MSBuild TargetVersion, WDK _NT_TARGET_VERSION); 0 = the build does not
  // say, and `#if NTDDI_VERSION …` stays undecided. `target_origin` is where
  // it was set (file "" with a description in `target_note` for a default).
  std::uint32_t ntddi_version = 0;
  SourceLoc target_origin;
  std::string target_note;
};

enum class ImageKind { Unknown, Driver, ExportDriver, DynamicLibrary, StaticLibrary, Application };

struct Image {
  std::string name;                   // TARGETNAME, project name, or "<scan>"
  std::string config;                 // configuration this image is for
  ImageKind kind = ImageKind::Unknown;
  SourceLoc origin;                   // the build file that defines it
  std::vector<std::string> links;     // names of static-library images linked in
};

enum class Severity { Note, Warning, Error };

// A problem with an input (not a finding about NX): malformed build file,
// unreadable path, binary source. Printed as file:line:col: error: message.
struct InputDiagnostic {
  SourceLoc loc;
  Severity severity = Severity::Error;
  std::string message;
};

struct BuildModel {
  std::vector<Image> images;
  std::vector<CompileUnit> units;
  std::vector<InputDiagnostic> diagnostics;
};

}  // namespace nxpool::model
