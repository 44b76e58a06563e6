#include "paths.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "text_util.h"

namespace nxpool::buildfiles {

bool is_absolute_path(std::string_view p) {
  if (!p.empty() && (p[0] == '/' || p[0] == '\\')) return true;
  return p.size() >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/');
}

std::string normalize_path(std::string_view path, std::string_view base_dir) {
  std::string joined;
  if (path.size() >= 2 && path[1] == ':' &&
      ((path[0] >= 'a' && path[0] <= 'z') || (path[0] >= 'A' && path[0] <= 'Z'))) {
    // A drive-letter path cannot exist here; keep it recognisable.
    joined += '/';  // (not "/" + string: GCC 12 warns falsely, -Wrestrict)
    joined.append(path);
  } else if (!path.empty() && (path[0] == '/' || path[0] == '\\')) {
    joined = std::string(path);
  } else {
    joined = std::string(base_dir);
    joined += '/';
    joined += path;
  }
  std::vector<std::string_view> parts;
  for (char& c : joined)
    if (c == '\\') c = '/';
  std::string_view view(joined);
  size_t i = 0;
  while (i <= view.size()) {
    size_t j = view.find('/', i);
    if (j == std::string_view::npos) j = view.size();
    std::string_view part = view.substr(i, j - i);
    if (part.empty() || part == ".") {
    } else if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out;
  for (auto part : parts) {
    out += '/';
    out += part;
  }
  return out.empty() ? "/" : out;
}

std::string parent_dir(std::string_view path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string_view file_name(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view file_ext(std::string_view path) {
  std::string_view name = file_name(path);
  size_t dot = name.find_last_of('.');
  return dot == std::string_view::npos || dot == 0 ? std::string_view() : name.substr(dot);
}

std::string_view file_stem(std::string_view path) {
  std::string_view name = file_name(path);
  return name.substr(0, name.size() - file_ext(path).size());
}

std::string relative_path(std::string_view path, std::string_view base_dir) {
  std::string base(base_dir);
  if (base == "/") return std::string(path.substr(path.empty() ? 0 : 1));
  if (path.size() > base.size() && path.substr(0, base.size()) == base && path[base.size()] == '/')
    return std::string(path.substr(base.size() + 1));
  if (path == base) return ".";
  // Walk up until base is a prefix.
  std::string up;
  std::string cur = base;
  while (cur != "/" && !(path.size() > cur.size() && path.substr(0, cur.size()) == cur &&
                         path[cur.size()] == '/')) {
    cur = parent_dir(cur);
    up += "../";
  }
  return up + std::string(path.substr(cur == "/" ? 1 : cur.size() + 1));
}

const FileSystem::Listing& FileSystem::listing(const std::string& dir) {
  auto it = cache_.find(dir);
  if (it != cache_.end()) return *it->second;
  auto listing = std::make_unique<Listing>();
  std::error_code ec;
  for (std::filesystem::directory_iterator d(dir, ec), end; !ec && d != end; d.increment(ec)) {
    Entry e;
    e.name = d->path().filename().string();
    std::error_code ec2;
    e.is_dir = d->is_directory(ec2);
    e.is_link = d->is_symlink(ec2);
    listing->entries.push_back(std::move(e));
  }
  std::sort(listing->entries.begin(), listing->entries.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
  for (size_t i = 0; i < listing->entries.size(); ++i) {
    listing->exact.emplace(listing->entries[i].name, i);
    listing->folded.emplace(to_lower(listing->entries[i].name), i);
  }
  return *cache_.emplace(dir, std::move(listing)).first->second;
}

void FileSystem::set_roots(const std::vector<std::string>& roots) {
  roots_.clear();
  outside_.clear();
  for (const std::string& r : roots) {
    std::error_code ec;
    auto c = std::filesystem::weakly_canonical(std::filesystem::absolute(r, ec), ec);
    if (!ec) roots_.push_back(c.generic_string());
  }
  if (roots.size() && roots_.empty()) roots_.push_back("/nonexistent-root");  // confined to nothing
}

bool FileSystem::outside(const std::string& path) {
  if (roots_.empty()) return false;
  auto hit = outside_.find(path);
  if (hit != outside_.end()) return hit->second;
  std::error_code ec;
  std::string real = std::filesystem::weakly_canonical(path, ec).generic_string();
  bool out = true;
  for (const std::string& r : roots_) {
    if (ec) break;
    if (real == r || r == "/" ||
        (real.size() > r.size() && real.compare(0, r.size(), r) == 0 && real[r.size()] == '/'))
      out = false;
  }
  outside_.emplace(path, out);
  return out;
}

const std::vector<FileSystem::Entry>& FileSystem::list(const std::string& dir) {
  static const std::vector<Entry> none;
  if (outside(dir)) return none;
  return listing(dir).entries;
}

std::optional<std::string> FileSystem::resolve(const std::string& path) {
  std::optional<std::string> r = resolve_raw(path);
  if (r && outside(*r)) return std::nullopt;
  return r;
}

std::optional<std::string> FileSystem::resolve_raw(const std::string& path) {
  auto hit = resolved_.find(path);
  if (hit != resolved_.end()) return hit->second;
  std::optional<std::string> result;
  if (path == "/") {
    result = "/";
  } else {
    // Resolve the parent first (memoized), then look this name up in it.
    size_t slash = path.find_last_of('/');
    std::string parent = slash == 0 ? "/" : path.substr(0, slash);
    std::string name = path.substr(slash + 1);
    std::optional<std::string> real_parent = resolve_raw(parent);
    if (real_parent) {
      const Listing& l = listing(*real_parent);
      auto ex = l.exact.find(name);
      const Entry* e = nullptr;
      if (ex != l.exact.end()) {
        e = &l.entries[ex->second];
      } else {
        auto fo = l.folded.find(to_lower(name));
        if (fo != l.folded.end()) e = &l.entries[fo->second];
      }
      if (e) result = (*real_parent == "/" ? "" : *real_parent) + "/" + e->name;
    }
  }
  resolved_.emplace(path, result);
  return result;
}

bool FileSystem::is_file(const std::string& path) {
  auto r = resolve(path);
  if (!r) return false;
  std::error_code ec;
  return std::filesystem::is_regular_file(*r, ec);
}

bool FileSystem::is_dir(const std::string& path) {
  auto r = resolve(path);
  if (!r) return false;
  std::error_code ec;
  return std::filesystem::is_directory(*r, ec);
}

std::optional<std::string> FileSystem::find_upward(const std::string& start_dir,
                                                   std::string_view name) {
  std::string dir = start_dir;
  while (true) {
    std::string candidate = (dir == "/" ? "" : dir) + "/" + std::string(name);
    if (auto r = resolve(candidate); r && is_file(*r)) return parent_dir(*r);
    if (dir == "/") return std::nullopt;
    dir = parent_dir(dir);
  }
}

bool wildcard_match(std::string_view p, std::string_view n) {
  size_t pi = 0, ni = 0, star = std::string_view::npos, mark = 0;
  while (ni < n.size()) {
    if (pi < p.size() && (p[pi] == '?' || ascii_lower(p[pi]) == ascii_lower(n[ni]))) {
      ++pi, ++ni;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ni;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ni = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::vector<std::string> FileSystem::glob(const std::string& pattern) {
  std::vector<std::string_view> parts;
  for (auto part : split(pattern, '/'))
    if (!part.empty()) parts.push_back(part);
  std::vector<std::string> current{"/"};
  for (size_t k = 0; k < parts.size(); ++k) {
    bool last = k + 1 == parts.size();
    std::string_view part = parts[k];
    std::vector<std::string> next;
    auto join = [](const std::string& dir, const std::string& name) {
      return (dir == "/" ? "" : dir) + "/" + name;
    };
    for (const auto& dir : current) {
      if (part == "**") {
        // This directory and every directory below it.
        std::vector<std::string> stack{dir};
        while (!stack.empty()) {
          std::string d = stack.back();
          stack.pop_back();
          next.push_back(d);
          const auto& entries = list(d);
          for (auto it = entries.rbegin(); it != entries.rend(); ++it)
            if (it->is_dir && !it->is_link) stack.push_back(join(d, it->name));
        }
      } else if (part.find_first_of("*?") == std::string_view::npos) {
        // (unconfined on the way down: only the matches must be inside)
        if (auto r = resolve_raw(join(dir, std::string(part)))) next.push_back(*r);
      } else {
        for (const auto& e : list(dir))
          if (e.is_dir != last && wildcard_match(part, e.name)) next.push_back(join(dir, e.name));
      }
    }
    current = std::move(next);
  }
  std::vector<std::string> files;
  for (auto& c : current)
    if (is_file(c)) files.push_back(std::move(c));
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

}  // namespace nxpool::buildfiles
