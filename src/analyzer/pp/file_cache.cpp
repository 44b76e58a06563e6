// Tested by tests/analyzer/file_cache_test.cpp and the include cases.
#include "pp/file_cache.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

#include "scan/vocabulary.h"

namespace nxpool::pp {
namespace fs = std::filesystem;

std::string normalize_path(const std::string& p) {
  // Units repeat the same include directories thousands of times.
  thread_local std::unordered_map<std::string, std::string> memo;
  auto hit = memo.find(p);
  if (hit != memo.end()) return hit->second;
  if (memo.size() > 100000) memo.clear();
  std::string s = p;
  std::replace(s.begin(), s.end(), '\\', '/');
  std::error_code ec;
  fs::path abs = fs::absolute(fs::path(s), ec);
  if (ec) abs = fs::path(s);
  std::string out = abs.lexically_normal().generic_string();
  memo.emplace(p, out);
  return out;
}

std::shared_ptr<CachedFile> FileCache::get(const std::string& path) {
  auto it = files_.find(path);
  if (it != files_.end()) return it->second;
  auto f = std::make_shared<CachedFile>();
  f->path = path;
  f->dir = std::filesystem::path(path).parent_path().generic_string();
  f->source = lex::load_source(path);
  if (f->source.status == lex::LoadStatus::Ok) {
    f->anchors = scan::has_anchor(f->source.text);
    ++files_read_;
    bytes_read_ += f->source.text.size();
  }
  held_bytes_ += f->source.text.size();
  files_.emplace(path, f);
  return f;
}

void FileCache::trim(std::uint64_t max_bytes) {
  if (held_bytes_ <= max_bytes) return;
  for (const auto& [path, size] : loaded()) evicted_[path] = size;
  files_.clear();
  // The path caches grow with the tree too (a negative answer per include
  // directory searched): counted in held_bytes_, forgotten with the files.
  resolved_.clear();
  listings_.clear();
  held_bytes_ = 0;
}

const std::vector<std::string>& FileCache::listing(const std::string& dir) {
  auto it = listings_.find(dir);
  if (it != listings_.end()) return it->second;
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator d(dir, ec), end; !ec && d != end; d.increment(ec))
    names.push_back(d->path().filename().string());
  std::sort(names.begin(), names.end());
  held_bytes_ += kEntryBytes + dir.size();
  for (const std::string& n : names) held_bytes_ += sizeof(std::string) + n.size();
  return listings_.emplace(dir, std::move(names)).first->second;
}

static bool iequal(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string> FileCache::resolve(const std::string& dir, const std::string& rel_in) {
  std::string rel = rel_in;
  std::replace(rel.begin(), rel.end(), '\\', '/');
  std::string key = dir + '\x01' + rel;
  auto it = resolved_.find(key);
  if (it != resolved_.end()) return it->second;
  std::optional<std::string> out;
  fs::path joined = fs::path(rel).is_absolute() ? fs::path(rel) : fs::path(dir) / rel;
  std::string exact = joined.lexically_normal().generic_string();
  std::error_code ec;
  if (fs::is_regular_file(exact, ec)) {
    out = exact;
  } else {
    // Walk the components, matching each one case-insensitively.
    fs::path cur = fs::path(rel).is_absolute() ? fs::path("/") : fs::path(dir);
    bool ok = true;
    for (const auto& part : fs::path(rel).relative_path()) {
      std::string name = part.string();
      if (name == "." || name.empty()) continue;
      if (name == "..") {
        cur = cur.parent_path();
        continue;
      }
      const auto& names = listing(cur.lexically_normal().generic_string());
      auto hit = std::find_if(names.begin(), names.end(), [&](const std::string& n) { return iequal(n, name); });
      if (hit == names.end()) {
        ok = false;
        break;
      }
      cur /= *hit;
    }
    std::string found = cur.lexically_normal().generic_string();
    if (ok && fs::is_regular_file(found, ec)) out = found;
  }
  held_bytes_ += kEntryBytes + key.size() + (out ? out->size() : 0);
  resolved_.emplace(std::move(key), out);
  return out;
}

}  // namespace nxpool::pp

namespace nxpool::pp {
std::string display_path(const std::string& abs) {
  if (abs.empty() || abs[0] != '/') return abs;
  thread_local std::unordered_map<std::string, std::string> memo;
  auto hit = memo.find(abs);
  if (hit != memo.end()) return hit->second;
  if (memo.size() > 100000) memo.clear();
  static const std::string cwd = [] {
    std::error_code ec;
    std::string c = std::filesystem::current_path(ec).generic_string();
    return c;
  }();
  std::filesystem::path rel = std::filesystem::path(abs).lexically_relative(cwd);
  std::string r = rel.generic_string();
  if (r.empty()) r = abs;
  memo.emplace(abs, r);
  return r;
}
}  // namespace nxpool::pp
