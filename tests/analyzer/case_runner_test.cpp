// The strict case runner (issue 5 item 7). Every entry of cases/ is one case:
// a single source file, or a directory scanned as a whole. Expectations are
// written in the case itself, in `//` comments:
//   // expect: NX2001 NX2002:note   findings on this line (rule[:severity])
//   // expect-diag: error           an input diagnostic on this line
//   // nxpool-mode: optin           the mode of the unit for this file
//   // nxpool-args: --arch arm64 -DPOOL_NX_OPTIN=1 --hvci   scan options
//                  (--enable-rule NXnnnn runs a rule that is off by default)
// The comparison is exact in both directions: a finding or diagnostic that
// is not expected fails the case, and so does an expected one that is
// missing. Files are decoded like the scanner decodes them (UTF-16 too).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "lex/source_file.h"
#include "pp/file_cache.h"
#include "scan/scanner.h"

namespace nxpool::scan {
namespace {
namespace fs = std::filesystem;

struct Case {
  std::string name;
  std::string path;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.path; }

std::vector<Case> discover_cases() {
  std::vector<Case> cases;
  for (const auto& e : fs::directory_iterator(NXPOOL_CASES_DIR)) {
    std::string name = e.path().filename().string();
    std::string id;
    for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    cases.push_back({id, e.path().generic_string()});
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

struct Expectations {
  std::multiset<std::string> findings;  // "file:line:rule"
  std::map<std::string, std::string> severity;  // "file:line:rule" -> severity
  std::multiset<std::string> diags;     // "file:line:severity"
  std::map<std::string, std::string> modes;
  std::vector<std::string> args;
};

void parse_file(const std::string& path, Expectations& ex) {
  lex::SourceText st = lex::load_source(path);
  if (st.status != lex::LoadStatus::Ok) return;
  std::string norm = pp::normalize_path(path);
  // Split on LF, CRLF and lone CR, as the lexer counts lines.
  std::vector<std::string> lines(1);
  const std::string& t = st.text;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\r' || t[i] == '\n') {
      if (t[i] == '\r' && i + 1 < t.size() && t[i + 1] == '\n') ++i;
      lines.emplace_back();
    } else {
      lines.back() += t[i];
    }
  }
  static const std::regex word(R"(\S+)");
  int n = 0;
  for (const std::string& l : lines) {
    ++n;
    {
      auto c = l.find("//");
      if (c == std::string::npos) continue;
      std::string comment = l.substr(c + 2);
      auto take = [&](const std::string& key) -> std::optional<std::string> {
        auto k = comment.find(key);
        if (k == std::string::npos) return std::nullopt;
        std::string rest = comment.substr(k + key.size());
        for (const char* other : {"expect:", "expect-diag:", "nxpool-mode:", "nxpool-args:"}) {
          auto o = rest.find(other);
          if (o != std::string::npos) rest = rest.substr(0, o);
        }
        return rest;
      };
      auto words = [&](const std::string& s) {
        std::vector<std::string> v;
        for (std::sregex_iterator it(s.begin(), s.end(), word), end; it != end; ++it) v.push_back(it->str());
        return v;
      };
      if (auto e = take("expect:")) {
        for (const std::string& w : words(*e)) {
          std::string rule = w.substr(0, w.find(':'));
          std::string key = norm + ":" + std::to_string(n) + ":" + rule;
          ex.findings.insert(key);
          if (w.find(':') != std::string::npos) ex.severity[key] = w.substr(w.find(':') + 1);
        }
      }
      if (auto e = take("expect-diag:"))
        for (const std::string& w : words(*e)) ex.diags.insert(norm + ":" + std::to_string(n) + ":" + w);
      if (auto e = take("nxpool-mode:"))
        for (const std::string& w : words(*e)) ex.modes[norm] = w;
      if (auto e = take("nxpool-args:"))
        for (const std::string& w : words(*e)) ex.args.push_back(w);
    }
  }
}

ScanOptions options_from(const std::vector<std::string>& args, const std::string& base) {
  ScanOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--arch" && i + 1 < args.size()) {
      std::string v = args[++i];
      o.arch = v == "x86" ? model::Arch::X86 : v == "arm64" ? model::Arch::Arm64 : v == "arm" ? model::Arch::Arm
                                                                                                : model::Arch::X64;
    } else if (a == "--hvci") {
      o.hvci = true;
    } else if (a == "--enable-rule" && i + 1 < args.size()) {
      o.enabled_rules.push_back(args[++i]);
    } else if (a.rfind("-D", 0) == 0) {
      model::Definition d;
      std::string body = a.substr(2);
      auto eq = body.find('=');
      d.name = body.substr(0, eq);
      if (eq != std::string::npos) d.value = body.substr(eq + 1);
      o.definitions.push_back(d);
    } else if (a.rfind("-U", 0) == 0) {
      model::Definition d;
      d.name = a.substr(2);
      d.undefine = true;
      o.definitions.push_back(d);
    } else if (a.rfind("-I", 0) == 0) {
      o.include_dirs.push_back(base + "/" + a.substr(2));
    } else {
      ADD_FAILURE() << "unknown nxpool-args option " << a;
    }
  }
  return o;
}

class CaseRunner : public ::testing::TestWithParam<Case> {};

TEST_P(CaseRunner, FindingsMatchExactly) {
  const Case& c = GetParam();
  Expectations ex;
  std::string base = fs::is_directory(c.path) ? c.path : fs::path(c.path).parent_path().generic_string();
  if (fs::is_directory(c.path)) {
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(c.path))
      if (e.is_regular_file()) files.push_back(e.path().generic_string());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) parse_file(f, ex);
  } else {
    parse_file(c.path, ex);
  }
  ScanOptions o = options_from(ex.args, fs::is_directory(c.path) ? c.path : base);
  o.paths = {c.path};
  ScanResult r = scan({}, o);

  std::multiset<std::string> got;
  std::map<std::string, std::string> got_sev;
  std::map<std::string, std::string> messages;
  for (const Finding& f : r.findings) {
    std::string key = pp::normalize_path(f.file) + ":" + std::to_string(f.line) + ":" + f.rule;
    got.insert(key);
    got_sev[key] = severity_name(f.severity);
    messages[key] = f.message;
  }
  for (const std::string& k : got)
    if (got.count(k) > ex.findings.count(k))
      ADD_FAILURE() << "unexpected finding " << k << ": " << messages[k];
  for (const std::string& k : ex.findings)
    if (ex.findings.count(k) > got.count(k)) ADD_FAILURE() << "missing finding " << k;
  for (const auto& [k, sev] : ex.severity) {
    if (got_sev.count(k)) {
      EXPECT_EQ(got_sev[k], sev) << k;
    }
  }

  std::multiset<std::string> diags;
  for (const auto& d : r.diagnostics)
    diags.insert(pp::normalize_path(d.loc.file) + ":" + std::to_string(d.loc.line) + ":" + severity_name(d.severity));
  for (const auto& d : r.diagnostics) {
    std::string k = pp::normalize_path(d.loc.file) + ":" + std::to_string(d.loc.line) + ":" + severity_name(d.severity);
    if (diags.count(k) > ex.diags.count(k)) ADD_FAILURE() << "unexpected diagnostic " << k << ": " << d.message;
  }
  for (const std::string& k : ex.diags)
    if (ex.diags.count(k) > diags.count(k)) ADD_FAILURE() << "missing diagnostic " << k;

  for (const auto& [file, mode] : ex.modes) {
    bool seen = false;
    for (const UnitRecord& u : r.units) {
      if (pp::normalize_path(u.file) != file) continue;
      seen = true;
      EXPECT_EQ(mode_name(u.mode), mode) << file << " (" << u.source << ")";
    }
    EXPECT_TRUE(seen) << "no unit for " << file;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, CaseRunner, ::testing::ValuesIn(discover_cases()),
                         [](const ::testing::TestParamInfo<Case>& i) { return i.param.name; });

TEST(CaseRunnerSelfTest, ThereAreCases) { EXPECT_GT(discover_cases().size(), 40u); }

}  // namespace
}  // namespace nxpool::scan
