// Collects input diagnostics for one read session. A project is evaluated
// once per configuration, so the same problem in a shared .props would be
// reported six times; the sink keeps the first of each identical diagnostic.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "../model/compile_unit.h"

namespace nxpool::buildfiles {

class DiagSink {
 public:
  void add(model::Severity severity, const model::SourceLoc& loc, std::string message) {
    if (muted_) return;
    std::string key = fmt::format("{}:{}:{}:{}:{}", int(severity), loc.file, loc.line,
                                  loc.column, message);
    if (!seen_.insert(std::move(key)).second) return;
    if (severity == model::Severity::Error) ++errors_;
    diags_.push_back(model::InputDiagnostic{loc, severity, std::move(message)});
  }
  void error(const model::SourceLoc& l, std::string m) { add(model::Severity::Error, l, std::move(m)); }
  void warning(const model::SourceLoc& l, std::string m) { add(model::Severity::Warning, l, std::move(m)); }
  void note(const model::SourceLoc& l, std::string m) { add(model::Severity::Note, l, std::move(m)); }
  int errors() const { return errors_; }
  // While muted, nothing is recorded (used for the configuration-discovery pass).
  bool set_muted(bool muted) {
    bool old = muted_;
    muted_ = muted;
    return old;
  }
  std::vector<model::InputDiagnostic>& all() { return diags_; }

 private:
  std::vector<model::InputDiagnostic> diags_;
  std::unordered_set<std::string> seen_;
  int errors_ = 0;
  bool muted_ = false;
};

}  // namespace nxpool::buildfiles
