#include "suppress/fingerprint.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <tuple>

#include "config/config.h"
#include "lex/source_file.h"

namespace nxpool::suppress {
namespace fs = std::filesystem;
namespace {

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string squeeze(std::string_view line) {
  std::string s;
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r') s += c;
  return s;
}

std::vector<std::string> file_lines(const std::string& path) {
  std::vector<std::string> lines;
  lex::SourceText st = lex::load_source(path);
  if (st.status != lex::LoadStatus::Ok) return lines;
  std::size_t pos = 0;
  const std::string& t = st.text;
  while (pos <= t.size()) {
    std::size_t nl = t.find('\n', pos);
    if (nl == std::string::npos) nl = t.size();
    lines.push_back(squeeze(std::string_view(t).substr(pos, nl - pos)));
    pos = nl + 1;
  }
  return lines;
}

}  // namespace

std::string repo_root_of(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec).lexically_normal();
  if (!fs::is_directory(p, ec)) p = p.parent_path();
  for (fs::path q = p;; q = q.parent_path()) {
    if (fs::exists(q / ".git", ec)) return q.string();
    if (q == q.parent_path() || q.empty()) break;
  }
  if (auto cfg = config::find_config(p.string())) return fs::path(*cfg).parent_path().string();
  return "";
}

std::string relative_to(const std::string& file, const std::string& root) {
  if (root.empty()) return "";
  std::error_code ec;
  fs::path abs = fs::absolute(file, ec).lexically_normal();
  fs::path rel = abs.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return "";
  return rel.generic_string();
}

void assign_fingerprints(std::vector<scan::Finding>& findings) {
  // (file, line, column, offset in a PE image, rule)
  using Site = std::tuple<std::string, std::uint32_t, std::uint32_t, std::uint64_t, std::string>;
  std::map<Site, std::vector<scan::Finding*>> sites;  // ordered by file, then line and column
  for (scan::Finding& f : findings) sites[{f.file, f.line, f.column, f.offset, f.rule}].push_back(&f);

  std::map<std::string, std::string> root_of_dir;
  std::string cur_file;
  std::vector<std::string> lines;
  std::map<std::uint64_t, int> occurrences;  // per file
  for (auto& [site, members] : sites) {
    const auto& [file, line, column, offset, rule] = site;
    if (file != cur_file) {
      cur_file = file;
      lines = file_lines(file);
      occurrences.clear();
    }
    std::string dir = fs::path(file).parent_path().string();
    auto it = root_of_dir.find(dir);
    if (it == root_of_dir.end()) it = root_of_dir.emplace(dir, repo_root_of(file)).first;
    std::string rel = relative_to(file, it->second);
    if (rel.empty()) {
      std::error_code ec;
      rel = fs::absolute(file, ec).lexically_normal().generic_string();
    }
    std::string context;
    if (line >= 1 && line <= lines.size()) {
      std::size_t i = line - 1;
      std::size_t above = i, below = i;
      while (above > 0 && lines[above - 1].empty()) --above;
      while (below + 1 < lines.size() && lines[below + 1].empty()) ++below;
      context = (above > 0 ? lines[above - 1] : "") + "\n" + lines[i] + "\n" +
                (below + 1 < lines.size() ? lines[below + 1] : "");
    } else {
      context = members.front()->message;  // no text to anchor to
    }
    std::uint64_t h = fnv1a(rule + "\x1f" + rel + "\x1f" + context);
    int n = ++occurrences[h];
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    std::string fp = std::string(hex) + ":" + std::to_string(n);
    for (scan::Finding* f : members) f->fingerprint = fp;
  }
}

}  // namespace nxpool::suppress
