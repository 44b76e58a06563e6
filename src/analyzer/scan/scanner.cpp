// Scan driver. Units are processed in a fixed order (source path, then
// configuration) so output is deterministic. Headers named on the command
// line, or found in a scanned directory, are scanned on their own only when
// no translation unit included them; otherwise their findings come from the
// including units (with those units' modes). Identical findings reported
// through several units are kept once.
// Tested by tests/analyzer/scanner_test.cpp and tests/analyzer/case_runner_test.cpp.
#include "scan/scanner.h"
#include "scan/tree_walk.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_set>

#include "pp/file_cache.h"
#include "scan/image_records.h"
#include "scan/unit_input.h"
#include "scan/unit_run.h"

namespace nxpool::scan {
namespace fs = std::filesystem;

namespace {

// A definition that is no macro name is reported once, at the build file
// that wrote it (make_input skips it).
void report_non_macro_names(const model::BuildModel& build, ScanResult& res) {
  std::set<std::tuple<std::string, int, std::string>> seen;
  for (const model::CompileUnit& u : build.units)
    for (const model::Definition& d : u.definitions)
      if (!is_macro_name(d.name) && seen.emplace(d.origin.file, d.origin.line, d.name).second)
        res.diagnostics.push_back(input_diag(d.origin.file.empty() ? u.source : d.origin.file, d.origin.line,
                                             d.origin.column, model::Severity::Warning,
                                             "'" + d.name + "' is not a macro name: the compiler rejects "
                                             "it and it defines nothing"));
}

// Issue 9 item 10: a missing import shared by many projects is one error
// with a count, not one per project. Errors at the same place whose
// messages differ only in the project named after the last "; " are merged.
void merge_repeated_errors(ScanResult& res) {
  const std::string kTail = " is read without this import";
  std::map<std::tuple<std::string, int, int, std::string>, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < res.diagnostics.size(); ++i) {
    const model::InputDiagnostic& d = res.diagnostics[i];
    std::size_t semi = d.message.rfind("; ");
    if (d.severity != model::Severity::Error || semi == std::string::npos || !d.message.ends_with(kTail)) continue;
    groups[{d.loc.file, d.loc.line, d.loc.column, d.message.substr(0, semi)}].push_back(i);
  }
  std::vector<bool> drop(res.diagnostics.size());
  for (const auto& [key, idx] : groups) {
    if (idx.size() < 2) continue;
    res.diagnostics[idx[0]].message = std::get<3>(key) + "; " + std::to_string(idx.size()) +
                                      " projects are read without this import";
    for (std::size_t k = 1; k < idx.size(); ++k) drop[idx[k]] = true;
  }
  std::size_t n = 0;
  for (std::size_t i = 0; i < res.diagnostics.size(); ++i)
    if (!drop[i]) {
      if (n != i) res.diagnostics[n] = std::move(res.diagnostics[i]);
      ++n;
    }
  res.diagnostics.resize(n);
}

struct LooseInputs {
  std::vector<std::string> sources, headers;
};

// Every regular file under `dir`, sorted (tree_walk.h: hidden directories
// skipped, unreadable ones reported, links out of the tree not followed).
std::vector<std::string> walk_directory(const std::string& dir, ScanResult& res) {
  std::vector<std::string> found;
  walk_tree(dir, found, res.diagnostics);
  std::sort(found.begin(), found.end());
  return found;
}

LooseInputs collect_loose_inputs(const std::vector<std::string>& paths, ScanResult& res) {
  LooseInputs li;
  for (const std::string& p : paths) {
    std::error_code ec;
    std::string norm = pp::normalize_path(p);
    if (fs::is_directory(norm, ec)) {
      for (const std::string& f : walk_directory(norm, res)) {
        if (is_source_extension(f)) li.sources.push_back(f);
        else if (is_header_extension(f)) li.headers.push_back(f);
      }
    } else if (fs::exists(norm, ec)) {
      (is_header_extension(norm) ? li.headers : li.sources).push_back(norm);
    } else {
      res.diagnostics.push_back(input_diag(p, 0, 0, model::Severity::Error, "no such file or directory"));
    }
  }
  for (auto* v : {&li.sources, &li.headers}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  return li;
}

PendingUnit loose_unit(const std::string& path, const ScanOptions& opt) {
  PendingUnit pu;
  pu.path = path;
  pu.loose = true;
  pu.unit.source = path;
  pu.unit.definitions = opt.definitions;
  pu.unit.include_dirs = opt.include_dirs;
  pu.unit.kernel_mode = opt.kernel_mode;
  pu.unit.image = "<scan>";
  return pu;
}

// Issue 9 item 1: loose files are scanned with the command-line settings;
// when build files were read, say so once per directory, and where a
// CMakeLists.txt at or above it (inside the scanned path) shows there is a
// build to ask, name the way to use it.
void announce_loose(const std::vector<PendingUnit>& loose, const ScanOptions& opt, ScanResult& res) {
  std::map<std::string, std::size_t> per_dir;
  for (const PendingUnit& pu : loose) ++per_dir[fs::path(pu.path).parent_path().generic_string()];
  std::vector<fs::path> roots;
  for (const std::string& p : opt.paths) roots.push_back(fs::path(pp::normalize_path(p)));
  for (const auto& [dir, n] : per_dir) {
    bool cmake = false;
    std::error_code ec;
    for (fs::path d = dir; !cmake && !d.empty(); d = d.parent_path()) {
      cmake = fs::exists(d / "CMakeLists.txt", ec);
      bool at_root = d == d.parent_path() ||
                     std::any_of(roots.begin(), roots.end(), [&](const fs::path& r) { return d == r; });
      if (at_root) break;
    }
    std::string msg = std::to_string(n) + (n == 1 ? " file belongs" : " files belong") +
                      " to no build unit: scanned as " + arch_name(opt.arch) +
                      (opt.kernel_mode ? " kernel" : " user-mode") + " code with " +
                      (opt.definitions.empty() ? "no definitions" : "the command-line definitions only");
    if (cmake) msg += "; a CMakeLists.txt builds them: pass -p compile_commands.json for their real definitions";
    res.diagnostics.push_back(input_diag(pp::display_path(dir), 0, 0, model::Severity::Note, msg));
  }
}

// Text a worker's file cache holds before it forgets everything not in use
// (units are sorted by path, so the next ones mostly need other headers);
// keeps memory from growing with the tree.
constexpr std::uint64_t kMaxCachedBytes = 32u << 20;

// Runs batches of units (in parallel: each worker has its own file cache),
// then merges them in unit order so the result does not depend on scheduling.
class Runner {
 public:
  Runner(const ScanOptions& opt, ScanResult& res) : opt_(opt), res_(res) {}

  void run_all(std::vector<PendingUnit>& batch);
  void resolve_images();
  const std::set<std::string>& included() const { return included_; }
  const std::map<std::string, std::uint64_t>& files_read() const { return files_read_; }

 private:
  std::vector<std::vector<std::size_t>> work_items(const std::vector<PendingUnit>& batch) const;
  void work(std::vector<PendingUnit>& batch, const std::vector<std::vector<std::size_t>>& items);
  void finish(std::vector<std::pair<std::size_t, UnitRun>>& done);
  void merge(UnitRun& run);

  const ScanOptions& opt_;
  ScanResult& res_;
  std::set<std::string> included_;
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> images_;
  // Outcomes the image resolution needs (OPTIN units, pending findings);
  // every other unit's findings go straight to unit_findings_, in unit order.
  std::vector<rules::UnitOutcome> outcomes_;
  std::vector<Finding> unit_findings_;
  std::set<std::tuple<std::string, int, int, std::string>> seen_diags_;
  std::map<std::string, std::uint64_t> files_read_;
  std::atomic<std::size_t> next_{0};
  std::mutex stats_mutex_;
  // The reorder buffer: runs that finished before an earlier unit, by unit
  // index; merged (and freed) as soon as every unit before them is merged,
  // so memory follows the units in flight, not the batch (issue 15).
  std::mutex merge_mutex_;
  std::map<std::size_t, UnitRun> ready_;
  std::size_t next_merge_ = 0;
};

// Work items: the units of one file with the same preprocessor input (batch
// is sorted by path, so they are neighbours). Each item is preprocessed once
// and its rules run per unit.
std::vector<std::vector<std::size_t>> Runner::work_items(const std::vector<PendingUnit>& batch) const {
  std::vector<std::vector<std::size_t>> items;
  std::map<std::string, std::size_t> item_of;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (i > 0 && batch[i].path != batch[i - 1].path) item_of.clear();
    std::string key = input_key(make_input(batch[i], opt_, unit_arch(batch[i], opt_), false));
    auto [it, fresh] = item_of.emplace(std::move(key), items.size());
    if (fresh) items.emplace_back();
    items[it->second].push_back(i);
  }
  return items;
}

// What a unit keeps after its run: its path (announce_loose), not the
// definitions and directories of its build settings.
void release_settings(PendingUnit& pu) {
  std::vector<model::Definition>().swap(pu.unit.definitions);
  std::vector<std::string>().swap(pu.unit.include_dirs);
  std::vector<std::string>().swap(pu.unit.forced_includes);
}

// Hands a worker's finished runs to the reorder buffer and merges every run
// whose predecessors are all merged.
void Runner::finish(std::vector<std::pair<std::size_t, UnitRun>>& done) {
  std::lock_guard<std::mutex> lock(merge_mutex_);
  for (auto& [i, run] : done) ready_.emplace(i, std::move(run));
  done.clear();
  for (auto it = ready_.begin(); it != ready_.end() && it->first == next_merge_; it = ready_.erase(it)) {
    merge(it->second);
    ++next_merge_;
  }
}

// One worker: takes items until none are left.
void Runner::work(std::vector<PendingUnit>& batch, const std::vector<std::vector<std::size_t>>& items) {
  pp::FileCache cache(opt_.share_work);
  std::map<std::string, std::uint64_t> main_bytes;
  // Files the units included (preprocess() lists them in Prepared, the
  // same for every unit of the item): hashed, not a sorted set of long
  // paths with common prefixes, and no copy per unit (issue 15: CPU).
  std::unordered_set<std::string> included;
  std::vector<std::pair<std::size_t, UnitRun>> done;
  for (std::size_t n = next_++; n < items.size(); n = next_++) {
    const PendingUnit& first = batch[items[n].front()];
    // A failure in one unit is that unit's error, on every worker (issue
    // 10 item 9): bad_alloc and the like never end the scan.
    try {
      Prepared prep = prepare_unit(first, opt_, cache);
      if (prep.pre.main_readable)
        for (std::size_t f = 1; f < prep.pre.files.size(); ++f)
          if (!included.count(prep.pre.files[f])) included.insert(prep.pre.files[f]);
      for (std::size_t i : items[n]) done.emplace_back(i, run_unit(batch[i], opt_, cache, prep));
    } catch (const std::exception& e) {
      done.clear();
      for (std::size_t i : items[n]) {
        UnitRun run;
        model::InputDiagnostic d;
        d.loc = {batch[i].path, 0, 0};
        d.severity = model::Severity::Error;
        d.message = std::string("analysis of this file failed (") + e.what() + "); it is not reported";
        run.diags.push_back(std::move(d));
        done.emplace_back(i, std::move(run));
      }
    }
    for (std::size_t i : items[n]) release_settings(batch[i]);
    finish(done);
    // A main source is rarely included by another unit: keep memory
    // proportional to the headers, not the tree (re-reading is cheap).
    // The next item is often the same file with other inputs.
    bool again = n + 1 < items.size() && batch[items[n + 1].front()].path == first.path;
    if (!again && is_source_extension(first.path)) {
      if (std::uint64_t size = cache.loaded_size(first.path)) main_bytes[first.path] = size;
      cache.drop(first.path);
    }
    cache.trim(kMaxCachedBytes);
  }
  std::lock_guard<std::mutex> lock(stats_mutex_);
  included_.insert(included.begin(), included.end());
  for (auto& [path, size] : cache.loaded()) files_read_[path] = size;
  for (auto& [path, size] : cache.evicted()) files_read_[path] = size;
  for (auto& [path, size] : main_bytes) files_read_[path] = size;
}

void Runner::run_all(std::vector<PendingUnit>& batch) {
  std::vector<std::vector<std::size_t>> items = work_items(batch);
  std::size_t jobs = opt_.jobs ? opt_.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::max<std::size_t>(1, std::min(jobs, items.size()));
  next_ = 0;
  next_merge_ = 0;
  if (jobs <= 1) {
    work(batch, items);
  } else {
    std::vector<std::thread> threads;
    for (std::size_t j = 0; j < jobs; ++j) threads.emplace_back([&] { work(batch, items); });
    for (auto& t : threads) t.join();
  }
}

// Called in unit order (finish()), so the result does not depend on
// scheduling.
void Runner::merge(UnitRun& run) {
  for (auto& d : run.diags) {
    auto key = std::make_tuple(d.loc.file, d.loc.line, d.loc.column, d.message);
    if (seen_diags_.insert(key).second) res_.diagnostics.push_back(std::move(d));
  }
  if (!run.record) return;
  rules::UnitOutcome& o = run.outcome;
  for (Finding& f : o.findings) unit_findings_.push_back(std::move(f));
  std::vector<Finding>().swap(o.findings);
  if (o.optin || o.valid_init || !o.pending.empty()) {
    outcomes_.push_back(std::move(o));
    images_[{run.record->image, run.record->config}].push_back(outcomes_.size() - 1);
  }
  res_.units.push_back(std::move(*run.record));
}

// Images resolve NX1101 and the OPTIN findings; then every unit's findings.
void Runner::resolve_images() {
  for (auto& [key, idxs] : images_) {
    std::vector<rules::UnitOutcome*> ptrs;
    for (std::size_t i : idxs) ptrs.push_back(&outcomes_[i]);
    rules::resolve_image(key.first, ptrs, res_.findings);
  }
  // Same order as before: the image findings, then every unit's own.
  for (Finding& f : unit_findings_) res_.findings.push_back(std::move(f));
  std::vector<Finding>().swap(unit_findings_);
}

// Deterministic order, duplicates (a header seen by several units) once.
void sort_result(ScanResult& res) {
  auto key = [](const Finding& f) { return std::tie(f.file, f.line, f.column, f.rule, f.config, f.message); };
  std::stable_sort(res.findings.begin(), res.findings.end(),
                   [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
  res.findings.erase(std::unique(res.findings.begin(), res.findings.end(),
                                 [&](const Finding& a, const Finding& b) { return key(a) == key(b); }),
                     res.findings.end());
  std::stable_sort(res.units.begin(), res.units.end(), [](const UnitRecord& a, const UnitRecord& b) {
    return std::tie(a.file, a.config) < std::tie(b.file, b.config);
  });
  std::stable_sort(res.diagnostics.begin(), res.diagnostics.end(),
                   [](const model::InputDiagnostic& a, const model::InputDiagnostic& b) {
                     return std::tie(a.loc.file, a.loc.line, a.loc.column, a.message) <
                            std::tie(b.loc.file, b.loc.line, b.loc.column, b.message);
                   });
}

}  // namespace

ScanResult scan(const model::BuildModel& build, const ScanOptions& opt) {
  return scan(model::BuildModel(build), opt);
}

ScanResult scan(model::BuildModel&& build, const ScanOptions& opt) {
  ScanResult res;
  res.diagnostics = std::move(build.diagnostics);
  report_non_macro_names(build, res);
  merge_repeated_errors(res);
  for (auto& d : res.diagnostics)
    if (!d.loc.file.empty() && d.loc.file[0] == '/') d.loc.file = pp::display_path(d.loc.file);

  // Units: build-model units first, then the loose sources no unit
  // reached (a .c excluded from the build but #included by a unit is part of
  // that unit), then the headers no unit included.
  LooseInputs loose = collect_loose_inputs(opt.paths, res);
  std::vector<PendingUnit> units;
  std::set<std::string> claimed;
  // The units are moved out of the model (scan() owns it) and each one's
  // settings are released once it has run (issue 15: memory).
  bool any_build_units = !build.units.empty();
  units.reserve(build.units.size());
  for (model::CompileUnit& u : build.units) {
    std::string path = pp::normalize_path(u.source);
    PendingUnit pu{std::move(u), std::move(path), false};
    if (pu.unit.image.empty()) pu.unit.image = "<scan>";
    claimed.insert(pu.path);
    units.push_back(std::move(pu));
  }
  std::vector<model::CompileUnit>().swap(build.units);
  std::stable_sort(units.begin(), units.end(), [](const PendingUnit& a, const PendingUnit& b) {
    return std::tie(a.path, a.unit.config) < std::tie(b.path, b.unit.config);
  });

  Runner runner(opt, res);
  runner.run_all(units);
  std::vector<PendingUnit> loose_units;
  for (const std::string& s : loose.sources)
    if (!claimed.count(s) && !runner.included().count(s)) loose_units.push_back(loose_unit(s, opt));
  runner.run_all(loose_units);
  std::vector<PendingUnit> header_units;
  for (const std::string& h : loose.headers)
    if (!runner.included().count(h) && !claimed.count(h)) header_units.push_back(loose_unit(h, opt));
  runner.run_all(header_units);
  runner.resolve_images();
  if (any_build_units) {
    loose_units.insert(loose_units.end(), header_units.begin(), header_units.end());
    announce_loose(loose_units, opt, res);
  }

  sort_result(res);
  res.images = image_records(build, res.units);
  res.files = runner.files_read().size();
  for (const auto& [path, size] : runner.files_read()) res.bytes += size;
  return res;
}

const char* severity_name(model::Severity s) {
  switch (s) {
    case model::Severity::Note: return "note";
    case model::Severity::Warning: return "warning";
    case model::Severity::Error: return "error";
  }
  return "warning";
}

}  // namespace nxpool::scan
