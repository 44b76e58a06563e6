#include "sln.h"

#include <fmt/format.h>

#include "text_util.h"

namespace nxpool::buildfiles {

namespace {

std::string canonical_platform(std::string_view p) {
  std::string l = to_lower(trim(p));
  if (l == "win32") return "x86";
  if (l == "amd64") return "x64";
  return l;
}

std::string canonical_configuration(std::string_view c) {
  std::string l = to_lower(trim(c));
  if (l == "fre") return "release";
  if (l == "chk") return "debug";
  return l;
}

// The quoted strings of a line, in order.
std::vector<std::string> quoted(std::string_view line) {
  std::vector<std::string> out;
  size_t i = 0;
  while ((i = line.find('"', i)) != std::string_view::npos) {
    size_t e = line.find('"', i + 1);
    if (e == std::string_view::npos) break;
    out.emplace_back(line.substr(i + 1, e - i - 1));
    i = e + 1;
  }
  return out;
}

}  // namespace

bool config_matches(std::string_view wanted, std::string_view config) {
  size_t wb = wanted.find('|'), cb = config.find('|');
  if (canonical_configuration(wanted.substr(0, wb)) != canonical_configuration(config.substr(0, cb)))
    return false;
  if (wb == std::string_view::npos) return true;
  std::string_view cp = cb == std::string_view::npos ? std::string_view() : config.substr(cb + 1);
  return canonical_platform(wanted.substr(wb + 1)) == canonical_platform(cp);
}

bool config_selected(const std::vector<std::string>& wanted, std::string_view config) {
  if (wanted.empty()) return true;
  for (const auto& w : wanted)
    if (config_matches(w, config)) return true;
  return false;
}

std::optional<Solution> read_solution(Session& session, const std::string& path) {
  std::string raw, why;
  if (session.fs.outside(path)) why = kOutsideTree;
  if (!why.empty() || !read_text_file(path, raw, &why)) {
    session.diags.error({path, 0, 0}, "cannot read solution file: " + why);
    return std::nullopt;
  }
  std::string text = decode_text(std::move(raw));
  Solution sln;
  sln.path = path;
  std::string dir = parent_dir(path);
  enum { None, SolutionConfigs, ProjectConfigs } section = None;
  int line_no = 0;
  for (auto line_raw : split(text, '\n')) {
    ++line_no;
    std::string_view line = trim(line_raw);
    if (line.rfind("Project(", 0) == 0) {
      auto q = quoted(line);
      if (q.size() < 4) {
        session.diags.error({path, line_no, 1}, "malformed Project line in solution; ignored");
        continue;
      }
      // q: type guid, name, path, project guid
      if (!iends_with(q[2], ".vcxproj")) continue;  // C#, folders, … carry no C units
      std::string norm = normalize_path(q[2], dir);
      auto real = session.fs.resolve(norm);
      uint32_t loc = session.loc_of_file(path, line_no, 1);
      if (!real || !session.fs.is_file(*real)) {
        session.diags.error(session.locs.get(loc),
                            fmt::format("project \"{}\" listed by the solution not found", q[2]));
        continue;
      }
      sln.projects.push_back(SlnProject{q[1], *real, to_lower(q[3]), loc});
    } else if (line.rfind("GlobalSection(SolutionConfigurationPlatforms)", 0) == 0) {
      section = SolutionConfigs;
    } else if (line.rfind("GlobalSection(ProjectConfigurationPlatforms)", 0) == 0) {
      section = ProjectConfigs;
    } else if (line.rfind("EndGlobalSection", 0) == 0) {
      section = None;
    } else if (section != None) {
      size_t eq = line.find(" = ");
      if (eq == std::string_view::npos) continue;
      std::string_view key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 3));
      if (section == SolutionConfigs) {
        sln.configurations.emplace_back(key);
        continue;
      }
      // {GUID}.<solution config>.ActiveCfg / .Build.0
      size_t close = key.find('}');
      if (close == std::string_view::npos || close + 1 >= key.size()) continue;
      std::string guid = to_lower(key.substr(0, close + 1));
      std::string_view rest = key.substr(close + 2);
      bool active = iends_with(rest, ".ActiveCfg"), build = iends_with(rest, ".Build.0");
      if (!active && !build) continue;
      std::string cfg = to_lower(rest.substr(0, rest.size() - (active ? 10 : 8)));
      auto& entry = sln.mapping[guid][cfg];
      if (active) entry.first = std::string(value);
      if (build) entry.second = true;
    }
  }
  return sln;
}

}  // namespace nxpool::buildfiles
