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
#include <cctype>
#include <mutex>
#include <optional>
#include <thread>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "pp/file_cache.h"
#include "pp/preprocessor.h"
#include "rules/rules.h"
#include "scan/code_structure.h"
#include "scan/image_records.h"

namespace nxpool::scan {
namespace fs = std::filesystem;

namespace {

std::string lower_ext(const std::string& path) {
  std::string e = fs::path(path).extension().string();
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e;
}

struct PendingUnit {
  model::CompileUnit unit;
  std::string path;  // normalised
  bool loose = false;
};

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

bool is_macro_name(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}


pp::UnitInput make_input(const PendingUnit& pu, const ScanOptions& opt, model::Arch arch) {
  pp::UnitInput in;
  in.main_file = pu.path;
  const model::CompileUnit& u = pu.unit;
  std::string ext = lower_ext(pu.path);
  in.cplusplus = u.cplusplus || ext == ".cpp" || ext == ".cc" || ext == ".cxx" || ext == ".c++" || ext == ".hpp" ||
                 ext == ".hh" || ext == ".hxx";
  auto line = [&](const std::string& l, const std::string& origin) {
    in.predefines += l + "\n";
    in.predefine_origins.push_back(origin);
  };
  line(u.kernel_mode ? "#define _KERNEL_MODE 1" : "#undef _KERNEL_MODE", "<predefined: /kernel>");
  line("#define _WIN32 1", "<predefined>");
  line("#undef _NTOS_", "<predefined>");
  line(in.cplusplus ? "#define __cplusplus 201703L" : "#undef __cplusplus", "<predefined>");
  add_arch(in.predefines, in.predefine_origins, arch);
  for (const char* nx : {"POOL_NX_OPTIN", "POOL_NX_OPTIN_AUTO", "POOL_NX_OPTOUT", "POOL_ZERO_DOWN_LEVEL_SUPPORT"})
    line(std::string("#undef ") + nx, "<predefined>");
  for (const model::Definition& d : u.definitions) {
    std::string origin = d.origin.file.empty() || d.origin.file == "<command line>"
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

struct UnitRun {
  std::optional<UnitRecord> record;
  rules::UnitOutcome outcome;
  std::vector<model::InputDiagnostic> diags;
  std::vector<std::string> included;
};

model::Arch unit_arch(const PendingUnit& pu, const ScanOptions& opt) {
  return pu.unit.arch == model::Arch::Unknown ? opt.arch : pu.unit.arch;
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

// The configuration-independent part of a unit: preprocessing and structure.
// It is preprocessed with placeholder origins ("\x02" line "\x03" for
// predefine line N); each unit then puts its own origins into the only two
// places origins reach (the latched values and the NX #define records)
// before its rules run.
struct Prepared {
  pp::UnitInput in;
  pp::PreprocessedUnit pre;
  CodeStructure cs;
  std::string latch_origin[3];              // optin, autov, optout, with placeholders
  std::vector<std::string> define_origin;   // per nx_defines entry, with placeholders
};

Prepared prepare_unit(const PendingUnit& pu, const ScanOptions& opt, pp::FileCache& cache) {
  Prepared p;
  p.in = make_input(pu, opt, unit_arch(pu, opt));
  for (std::size_t i = 0; i < p.in.predefine_origins.size(); ++i)
    p.in.predefine_origins[i] = "\x02" + std::to_string(i) + "\x03";
  p.pre = pp::preprocess(p.in, cache);
  if (!p.pre.main_readable) return p;
  p.cs = analyze_structure(p.pre.code);
  p.latch_origin[0] = p.pre.latch.optin.origin;
  p.latch_origin[1] = p.pre.latch.autov.origin;
  p.latch_origin[2] = p.pre.latch.optout.origin;
  for (const pp::NxDefine& d : p.pre.nx_defines) p.define_origin.push_back(d.origin);
  return p;
}

// `tpl` with every placeholder replaced by the unit's origin text.
std::string with_origins(const std::string& tpl, const std::vector<std::string>& origins) {
  if (tpl.find('\x02') == std::string::npos) return tpl;
  std::string out;
  for (std::size_t i = 0; i < tpl.size(); ++i) {
    std::size_t end = tpl[i] == '\x02' ? tpl.find('\x03', i) : std::string::npos;
    if (end == std::string::npos) {
      out += tpl[i];
      continue;
    }
    std::size_t n = std::stoul(tpl.substr(i + 1, end - i - 1));
    out += n < origins.size() ? origins[n] : std::string();
    i = end;
  }
  return out;
}

void set_origins(Prepared& p, const std::vector<std::string>& origins) {
  p.pre.latch.optin.origin = with_origins(p.latch_origin[0], origins);
  p.pre.latch.autov.origin = with_origins(p.latch_origin[1], origins);
  p.pre.latch.optout.origin = with_origins(p.latch_origin[2], origins);
  for (std::size_t i = 0; i < p.define_origin.size(); ++i)
    p.pre.nx_defines[i].origin = with_origins(p.define_origin[i], origins);
}

// The per-unit part: mode, rules (whose findings name the unit's
// configuration and image), the unit record.
UnitRun run_unit(const PendingUnit& pu, const ScanOptions& opt, pp::FileCache& cache, Prepared& prep) {
  UnitRun run;
  model::Arch arch = unit_arch(pu, opt);
  if (prep.pre.main_readable) set_origins(prep, make_input(pu, opt, arch).predefine_origins);
  const pp::UnitInput& in = prep.in;
  const pp::PreprocessedUnit& pre = prep.pre;
  const CodeStructure& cs = prep.cs;
  std::string display = pp::display_path(pu.path);
  if (!pre.main_readable) {
    auto cf = cache.get(pu.path);
    bool binary = cf->source.status == lex::LoadStatus::Binary;
    run.diags.push_back(input_diag(display, 0, 0, binary ? model::Severity::Note : model::Severity::Error,
                                   cf->source.message));
    return run;
  }
  for (std::size_t f = 1; f < pre.files.size(); ++f) run.included.push_back(pre.files[f]);
  for (const pp::UnitDiag& d : pre.diags) {
    std::string file = d.loc.file == 0 ? display : pp::display_path(pre.files[d.loc.file]);
    run.diags.push_back(input_diag(file, d.loc.line, d.loc.column, d.severity, d.message));
  }
  rules::UnitFacts facts;
  facts.mode = decide_mode(pre.latch);
  facts.config = pu.unit.config;
  facts.image = pu.unit.image;
  facts.main_file = display;
  facts.cplusplus = in.cplusplus;
  facts.hvci = opt.hvci;
  rules::UnitOutcome& out = run.outcome;
  rules::RuleContext ctx(pre, facts, cs, out);
  out.optin = facts.mode.mode == NxMode::OptIn;
  if (out.optin) {
    for (const Call& c : cs.calls) {
      if (classify(pre.code[c.name].text) != Word::ExInitializeDriverRuntime) continue;
      bool has = !c.args.empty() && (ctx.range_has(c.args[0], Word::DrvRtPoolNxOptIn) ||
                                     (ctx.range_value(c.args[0]).value_or(1) & 1));
      out.valid_init = out.valid_init || has;
    }
    out.nx1101_anchor = ctx.at_loc("NX1101", pre.latch.by_header ? pre.latch.loc : pp::Loc{}, -1, "");
  }
  rules::run_unit_rules(ctx);

  // When the mode hangs on a #define under an unknown condition, the other
  // outcome is analysed too: without those definitions, under the negated
  // condition. Only findings the first pass did not make are added.
  pp::Latch alt_latch = pre.latch;
  std::string negated;
  for (pp::NxValue* v : {&alt_latch.optin, &alt_latch.autov, &alt_latch.optout}) {
    if (!v->defined || !v->uncertain || v->cond < 0) continue;
    const std::string& c = pre.conds[static_cast<std::size_t>(v->cond)];
    bool wrapped = c.size() > 1 && c.front() == '(' && c.back() == ')' &&
                   std::count(c.begin(), c.end(), '(') == 1;
    bool simple = c.find_first_of(" &|<>=!()") == std::string::npos;
    std::string neg = wrapped || simple ? "!" + c : "!(" + c + ")";
    if (negated.find(neg) == std::string::npos) negated += (negated.empty() ? "" : " || ") + neg;
    *v = pp::NxValue{};
  }
  if (!negated.empty()) {
    rules::UnitFacts alt_facts = facts;
    alt_facts.mode = decide_mode(alt_latch);
    if (alt_facts.mode.mode != facts.mode.mode) {
      rules::UnitOutcome alt;
      rules::RuleContext alt_ctx(pre, alt_facts, cs, alt);
      rules::run_unit_rules(alt_ctx);
      std::set<std::tuple<std::string, std::uint32_t, std::uint32_t, std::string>> seen;
      for (const Finding& f : out.findings) seen.emplace(f.rule, f.line, f.column, f.file);
      for (const Finding& f : out.pending) seen.emplace(f.rule, f.line, f.column, f.file);
      for (Finding& f : alt.findings) {
        if (seen.count({f.rule, f.line, f.column, f.file})) continue;
        f.condition = f.condition.empty() ? negated : f.condition + " && " + negated;
        f.message += " [only when " + negated + ", where the file is " + mode_name(alt_facts.mode.mode) + "]";
        out.findings.push_back(std::move(f));
      }
    }
  }

  UnitRecord rec;
  rec.file = display;
  rec.config = pu.unit.config;
  rec.image = pu.unit.image;
  rec.mode = facts.mode.mode;
  rec.source = facts.mode.source;
  // The header forces AUTO on every target but x86/x64; say which one.
  if (facts.mode.forced_by_arch && facts.mode.mode == NxMode::Auto) {
    if (arch == model::Arch::Arm64) rec.source = "forced by ARM64";
    else if (arch == model::Arch::Arm) rec.source = "forced by ARM";
  }
  rec.uncertain = facts.mode.uncertain;
  rec.arch = arch_name(arch);
  if (pre.latch.by_header && pre.latch.loc.file != 0)
    rec.latch = pp::display_path(pre.files[pre.latch.loc.file]) + ":" + std::to_string(pre.latch.loc.line);
  run.record = std::move(rec);
  return run;
}

}  // namespace

const char* arch_name(model::Arch a) {
  switch (a) {
    case model::Arch::X86: return "x86";
    case model::Arch::X64: return "x64";
    case model::Arch::Arm: return "arm";
    case model::Arch::Arm64: return "arm64";
    default: return "unknown";
  }
}

bool is_source_extension(const std::string& path) {
  std::string e = lower_ext(path);
  return e == ".c" || e == ".cc" || e == ".cpp" || e == ".cxx" || e == ".c++";
}

bool is_header_extension(const std::string& path) {
  std::string e = lower_ext(path);
  return e == ".h" || e == ".hh" || e == ".hpp" || e == ".hxx" || e == ".h++" || e == ".inl";
}

ScanResult scan(const model::BuildModel& build, const ScanOptions& opt) {
  ScanResult res;
  res.diagnostics = build.diagnostics;
  {
    std::set<std::tuple<std::string, int, std::string>> seen;
    for (const model::CompileUnit& u : build.units)
      for (const model::Definition& d : u.definitions)
        if (!is_macro_name(d.name) && seen.emplace(d.origin.file, d.origin.line, d.name).second)
          res.diagnostics.push_back(input_diag(d.origin.file.empty() ? u.source : d.origin.file,
                                               d.origin.line, d.origin.column, model::Severity::Warning,
                                               "'" + d.name + "' is not a macro name: the compiler rejects "
                                               "it and it defines nothing"));
  }
  for (auto& d : res.diagnostics)
    if (!d.loc.file.empty() && d.loc.file[0] == '/') d.loc.file = pp::display_path(d.loc.file);

  // 1. Loose inputs.
  std::vector<std::string> loose_sources, loose_headers;
  for (const std::string& p : opt.paths) {
    std::error_code ec;
    std::string norm = pp::normalize_path(p);
    if (fs::is_directory(norm, ec)) {
      std::vector<std::string> found;
      walk_tree(norm, found, res.diagnostics);
      std::sort(found.begin(), found.end());
      for (const std::string& f : found) {
        if (is_source_extension(f)) loose_sources.push_back(f);
        else if (is_header_extension(f)) loose_headers.push_back(f);
      }
    } else if (fs::exists(norm, ec)) {
      (is_header_extension(norm) ? loose_headers : loose_sources).push_back(norm);
    } else {
      res.diagnostics.push_back(input_diag(p, 0, 0, model::Severity::Error, "no such file or directory"));
    }
  }

  // 2. Units: build-model units first, then unclaimed loose sources.
  std::vector<PendingUnit> units;
  std::set<std::string> claimed;
  for (const model::CompileUnit& u : build.units) {
    PendingUnit pu{u, pp::normalize_path(u.source), false};
    if (pu.unit.image.empty()) pu.unit.image = "<scan>";
    claimed.insert(pu.path);
    units.push_back(std::move(pu));
  }
  auto loose_unit = [&](const std::string& path) {
    PendingUnit pu;
    pu.path = path;
    pu.loose = true;
    pu.unit.source = path;
    pu.unit.definitions = opt.definitions;
    pu.unit.include_dirs = opt.include_dirs;
    pu.unit.kernel_mode = opt.kernel_mode;
    pu.unit.image = "<scan>";
    return pu;
  };
  std::sort(loose_sources.begin(), loose_sources.end());
  loose_sources.erase(std::unique(loose_sources.begin(), loose_sources.end()), loose_sources.end());
  for (const std::string& s : loose_sources)
    if (!claimed.count(s)) units.push_back(loose_unit(s));
  std::stable_sort(units.begin(), units.end(), [](const PendingUnit& a, const PendingUnit& b) {
    return std::tie(a.path, a.unit.config) < std::tie(b.path, b.unit.config);
  });

  // 3. Run every unit (in parallel: each worker has its own file cache),
  // then merge in unit order so the result does not depend on scheduling.
  std::set<std::string> included;
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> images;
  std::vector<rules::UnitOutcome> outcomes;
  std::set<std::tuple<std::string, int, int, std::string>> seen_diags;
  std::map<std::string, std::uint64_t> files_read;
  auto merge = [&](std::vector<UnitRun>& runs) {
    for (UnitRun& run : runs) {
      for (auto& d : run.diags) {
        auto key = std::make_tuple(d.loc.file, d.loc.line, d.loc.column, d.message);
        if (seen_diags.insert(key).second) res.diagnostics.push_back(std::move(d));
      }
      for (auto& f : run.included) included.insert(std::move(f));
      if (!run.record) continue;
      outcomes.push_back(std::move(run.outcome));
      images[{run.record->image, run.record->config}].push_back(outcomes.size() - 1);
      res.units.push_back(std::move(*run.record));
    }
  };
  auto run_all = [&](const std::vector<PendingUnit>& batch) {
    std::vector<UnitRun> runs(batch.size());
    // Work items: the units of one file with the same preprocessor input
    // (batch is sorted by path, so they are neighbours). Each item is
    // preprocessed once and its rules run per unit.
    std::vector<std::vector<std::size_t>> items;
    {
      std::map<std::string, std::size_t> item_of;
      for (std::size_t i = 0; i < batch.size(); ++i) {
        if (i > 0 && batch[i].path != batch[i - 1].path) item_of.clear();
        std::string key = input_key(make_input(batch[i], opt, unit_arch(batch[i], opt)));
        auto [it, fresh] = item_of.emplace(std::move(key), items.size());
        if (fresh) items.emplace_back();
        items[it->second].push_back(i);
      }
    }
    std::size_t jobs = opt.jobs ? opt.jobs : std::max(1u, std::thread::hardware_concurrency());
    jobs = std::max<std::size_t>(1, std::min(jobs, items.size()));
    std::atomic<std::size_t> next{0};
    std::mutex stats_mutex;
    auto worker = [&] {
      pp::FileCache cache;
      std::map<std::string, std::uint64_t> main_bytes;
      for (std::size_t n = next++; n < items.size(); n = next++) {
        const PendingUnit& first = batch[items[n].front()];
        // A failure in one unit is that unit's error, on every worker (issue
        // 10 item 9): bad_alloc and the like never end the scan.
        try {
          Prepared prep = prepare_unit(first, opt, cache);
          for (std::size_t i : items[n]) runs[i] = run_unit(batch[i], opt, cache, prep);
        } catch (const std::exception& e) {
          for (std::size_t i : items[n]) {
            runs[i] = UnitRun{};
            model::InputDiagnostic d;
            d.loc = {batch[i].path, 0, 0};
            d.severity = model::Severity::Error;
            d.message = std::string("analysis of this file failed (") + e.what() + "); it is not reported";
            runs[i].diags.push_back(std::move(d));
          }
        }
        // A main source is rarely included by another unit: keep memory
        // proportional to the headers, not the tree (re-reading is cheap).
        // The next item is often the same file with other inputs.
        bool again = n + 1 < items.size() && batch[items[n + 1].front()].path == first.path;
        if (!again && is_source_extension(first.path)) {
          if (std::uint64_t size = cache.loaded_size(first.path)) main_bytes[first.path] = size;
          cache.drop(first.path);
        }
      }
      std::lock_guard<std::mutex> lock(stats_mutex);
      for (auto& [path, size] : cache.loaded()) files_read[path] = size;
      for (auto& [path, size] : main_bytes) files_read[path] = size;
    };
    if (jobs <= 1) {
      worker();
    } else {
      std::vector<std::thread> threads;
      for (std::size_t j = 0; j < jobs; ++j) threads.emplace_back(worker);
      for (auto& t : threads) t.join();
    }
    merge(runs);
  };
  run_all(units);
  std::sort(loose_headers.begin(), loose_headers.end());
  loose_headers.erase(std::unique(loose_headers.begin(), loose_headers.end()), loose_headers.end());
  std::vector<PendingUnit> header_units;
  for (const std::string& h : loose_headers)
    if (!included.count(h) && !claimed.count(h)) header_units.push_back(loose_unit(h));
  run_all(header_units);

  // 4. Images.
  for (auto& [key, idxs] : images) {
    std::vector<rules::UnitOutcome*> ptrs;
    for (std::size_t i : idxs) ptrs.push_back(&outcomes[i]);
    rules::resolve_image(key.first, ptrs, res.findings);
  }
  for (rules::UnitOutcome& o : outcomes)
    for (Finding& f : o.findings) res.findings.push_back(std::move(f));

  // 5. Deterministic order, duplicates (a header seen by several units) once.
  auto key = [](const Finding& f) {
    return std::tie(f.file, f.line, f.column, f.rule, f.config, f.message);
  };
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
  res.images = image_records(build, res.units);
  res.files = files_read.size();
  for (const auto& [path, size] : files_read) res.bytes += size;
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
