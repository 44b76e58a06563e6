// `nxpool fix --opt-in auto|optin`: opt a project in where its definitions
// are written (docs/fix.md "Opting a project in"): the .vcxproj's
// ItemDefinitionGroups (or the .props every project imports), or C_DEFINES
// in a WDK `sources` file; for OPTIN also the ExInitializeDriverRuntime call
// at the top of DriverEntry. The text editors are pure functions on a
// file's text so they can be tested byte for byte.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fix/fix.h"

namespace nxpool::fix {

enum class OptIn { None, Auto, OptIn };

// The macro definition the mode needs ("POOL_NX_OPTIN_AUTO=1").
std::string opt_in_definition(OptIn kind);

// Edits that put `definition` first in every ClCompile PreprocessorDefinitions
// of every ItemDefinitionGroup (adding the element where a ClCompile has
// none). nullopt with `why` when a configuration would be left without it.
std::optional<std::vector<Edit>> msbuild_opt_in(const std::string& text, const std::string& definition,
                                                std::string& why);

// The .props files a project imports by a plain relative path (no $(...)),
// as written, in order, each with the offset of its <Import>.
std::vector<std::pair<std::string, std::size_t>> msbuild_plain_imports(const std::string& text);

// Does every PreprocessorDefinitions in the project inherit
// (%(PreprocessorDefinitions)), and does no ItemDefinitionGroup come before
// offset `import_at`? Then a definition in that import reaches every
// configuration.
bool msbuild_inherits_from(const std::string& text, std::size_t import_at);

// Edits that add -D<definition> to C_DEFINES in a WDK `sources` file.
std::vector<Edit> sources_opt_in(const std::string& text, const std::string& definition);

// For OPTIN: an edit that makes ExInitializeDriverRuntime(DrvRtPoolNxOptIn)
// the first statement of DriverEntry in `text`, nullopt when the file has
// no DriverEntry body or already calls it (`why` says which).
std::optional<Edit> driver_entry_init(const std::string& text, std::string& why);

// ASCII lower case (file extensions, MSBuild conditions).
std::string lower_ascii(std::string s);

// Adds the opt-in edits for every kernel image the scan found to `plan`.
void plan_opt_in(const scan::ScanResult& scan, OptIn kind, FixPlan& plan);

}  // namespace nxpool::fix
