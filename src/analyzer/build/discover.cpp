#include <fmt/format.h>

#include "build.h"
#include "paths.h"
#include "text_util.h"

namespace nxpool::build {

model::BuildModel read_project(const std::string& file, const ReadOptions&) {
  if (iends_with(file, ".json")) return load_compile_commands(file);
  model::BuildModel m;
  m.diagnostics.push_back(make_diag(model::Severity::Error, {file, 0, 0},
                                    "this kind of build file is not read yet"));
  return m;
}

model::BuildModel discover(const std::string& dir, const ReadOptions& options) {
  return read_project(dir + "/compile_commands.json", options);
}

}  // namespace nxpool::build
