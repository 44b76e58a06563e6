// Files read by a scan, shared by every translation unit: each file is read
// and decoded once, and path lookups (including the case-insensitive
// fallback drivers written on Windows need) are cached. Not thread-safe; one
// cache per scanning thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "lex/source_file.h"

namespace nxpool::pp {

struct Skeleton;

struct CachedFile {
  std::string path;  // normalised absolute path
  lex::SourceText source;
  bool anchors = false;      // passed the literal prefilter
  std::string dir;           // parent directory (for quoted includes)
  std::string guard;         // include-guard macro, once known ("" = none)
  bool guard_known = false;
  bool pragma_once = false;
  // Directive-only inclusions so far, and the directive skeleton built at
  // the second one (skeleton.h; a file read once is not worth recording).
  std::uint32_t directive_only_uses = 0;
  std::shared_ptr<const Skeleton> skeleton;
  // The file uses a macro that became relevant while it was being read (a
  // header it includes defines an allocation macro it then calls): it is
  // never replayed from a skeleton, which has no code to re-read.
  bool late_relevant = false;
  std::uint64_t held_extra = 0;  // bytes beyond the text (the skeleton) the cache counts
};

class FileCache {
 public:
  // `skeletons`: record and replay directive skeletons (skeleton.h); off,
  // every inclusion is lexed (the reference the identity tests compare with).
  explicit FileCache(bool skeletons = true) : skeletons_(skeletons) {}
  bool skeletons() const { return skeletons_; }

  // Loads (once) the file at `path`, which must be absolute and normal.
  std::shared_ptr<CachedFile> get(const std::string& path);

  // Resolves `dir`/`rel` to an existing regular file: exact path first, then
  // component by component ignoring case. nullopt if there is none.
  std::optional<std::string> resolve(const std::string& dir, const std::string& rel);

  // Files read so far and their total size in bytes (as decoded).
  std::uint64_t files_read() const { return files_read_; }
  std::uint64_t bytes_read() const { return bytes_read_; }

  // (path, decoded size) of every file read.
  std::vector<std::pair<std::string, std::uint64_t>> loaded() const {
    std::vector<std::pair<std::string, std::uint64_t>> v;
    for (const auto& [path, f] : files_)
      if (f->source.status == lex::LoadStatus::Ok) v.emplace_back(path, f->source.text.size());
    return v;
  }

  // Decoded size of a file read successfully; 0 otherwise.
  std::uint64_t loaded_size(const std::string& path) const {
    auto it = files_.find(path);
    return it != files_.end() && it->second->source.status == lex::LoadStatus::Ok ? it->second->source.text.size() : 0;
  }

  // Forgets a file's contents (a main source no other unit will include).
  void drop(const std::string& path) {
    auto it = files_.find(path);
    if (it == files_.end()) return;
    held_bytes_ -= it->second->source.text.size() + it->second->held_extra;
    files_.erase(it);
  }

  // Counts `bytes` more held for `f` (its skeleton), if the cache holds it.
  void add_held(CachedFile& f, std::uint64_t bytes) {
    auto it = files_.find(f.path);
    if (it == files_.end() || it->second.get() != &f) return;
    f.held_extra += bytes;
    held_bytes_ += bytes;
  }
  std::uint64_t held_bytes() const { return held_bytes_; }

  // Forgets every file when the text and skeletons held exceed `max_bytes`
  // (units still using a file keep it alive); their (path, size) stay in
  // evicted().
  void trim(std::uint64_t max_bytes);
  const std::unordered_map<std::string, std::uint64_t>& evicted() const { return evicted_; }

 private:
  const std::vector<std::string>& listing(const std::string& dir);
  std::unordered_map<std::string, std::shared_ptr<CachedFile>> files_;
  std::unordered_map<std::string, std::optional<std::string>> resolved_;
  std::unordered_map<std::string, std::vector<std::string>> listings_;
  std::unordered_map<std::string, std::uint64_t> evicted_;
  std::uint64_t files_read_ = 0;
  std::uint64_t bytes_read_ = 0;
  std::uint64_t held_bytes_ = 0;  // text, skeletons and path-cache entries
  static constexpr std::uint64_t kEntryBytes = 96;  // a hash node with its two strings
  bool skeletons_ = true;
};

// Absolute, lexically normal form of `p` with forward slashes.
std::string normalize_path(const std::string& p);

}  // namespace nxpool::pp

namespace nxpool::pp {
// `abs` relative to the current directory when it is inside it, with
// forward slashes (the form every report prints).
std::string display_path(const std::string& abs);
}  // namespace nxpool::pp
