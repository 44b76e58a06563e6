#include "model_dump.h"

#include <fmt/format.h>

#include "paths.h"

namespace nxpool::buildfiles::testing {

namespace {

const char* kind_name(model::ImageKind k) {
  switch (k) {
    case model::ImageKind::Driver: return "driver";
    case model::ImageKind::ExportDriver: return "export-driver";
    case model::ImageKind::DynamicLibrary: return "dll";
    case model::ImageKind::StaticLibrary: return "lib";
    case model::ImageKind::Application: return "exe";
    default: return "unknown";
  }
}

std::string rel(const std::string& path, const std::string& base) {
  if (path.empty() || path[0] != '/') return path;
  return relative_path(path, base);
}

std::string loc(const model::SourceLoc& l, const std::string& base) {
  return fmt::format("{}:{}:{}", rel(l.file, base), l.line, l.column);
}

}  // namespace

std::string dump_model(const model::BuildModel& m, const std::string& base) {
  std::string out;
  for (const auto& img : m.images) {
    out += fmt::format("image {} [{}] {} from {}", img.name, img.config, kind_name(img.kind),
                       loc(img.origin, base));
    if (!img.links.empty()) out += fmt::format(" links {}", fmt::join(img.links, ","));
    out += '\n';
  }
  for (const auto& u : m.units) {
    out += fmt::format("unit {} [{}] {} {} {} image={}\n", rel(u.source, base), u.config,
                       arch_name(u.arch), u.cplusplus ? "c++" : "c",
                       u.kernel_mode ? "kernel" : "user", u.image);
    for (const auto& d : u.definitions) {
      if (d.undefine)
        out += fmt::format("  -U {} @ {}\n", d.name, loc(d.origin, base));
      else if (d.value)
        out += fmt::format("  -D {}={} @ {}\n", d.name, *d.value, loc(d.origin, base));
      else
        out += fmt::format("  -D {} @ {}\n", d.name, loc(d.origin, base));
    }
    for (const auto& i : u.include_dirs) out += fmt::format("  -I {}\n", rel(i, base));
    for (const auto& f : u.forced_includes) out += fmt::format("  -include {}\n", rel(f, base));
    if (!u.precompiled_header.empty()) out += fmt::format("  pch {}\n", u.precompiled_header);
  }
  for (const auto& d : m.diagnostics) {
    const char* sev = d.severity == model::Severity::Error     ? "error"
                      : d.severity == model::Severity::Warning ? "warning"
                                                               : "note";
    out += fmt::format("{}: {}: {}\n", loc(d.loc, base), sev, d.message);
  }
  return out;
}

}  // namespace nxpool::buildfiles::testing
