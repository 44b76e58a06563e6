// The MSBuild property functions real driver trees use. Each is implemented
// from its documented behaviour; results are strings as MSBuild renders them
// (booleans "True"/"False"). A function not listed here makes the caller
// report "unsupported" (ok = false) instead of guessing.
//
// Tested by tests/buildfiles/msbuild_expand_test.cpp.
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "msbuild_expand.h"
#include "text_util.h"

namespace nxpool::buildfiles {

namespace {

std::string boolean(bool b) { return b ? "True" : "False"; }


std::string number(double v) {
  // Only a value inside long long's range is converted (UB otherwise).
  if (v > -9.0e18 && v < 9.0e18 && v == double(static_cast<long long>(v)))
    return std::to_string(static_cast<long long>(v));
  return fmt::format("{}", v);
}

bool ignore_case_arg(const std::vector<std::string>& args, size_t index) {
  return args.size() > index && args[index].find("IgnoreCase") != std::string::npos;
}

bool has_root(std::string_view p) { return is_absolute_path(p); }

std::string combine(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (has_root(p) || out.empty()) {
      out = p;
    } else {
      if (out.back() != '/' && out.back() != '\\') out += '/';
      out += p;
    }
  }
  return out;
}

}  // namespace

std::string Expander::call_static(std::string_view type, std::string_view method,
                                  const std::vector<std::string>& a, uint32_t loc, bool& ok) {
  auto arg = [&](size_t i) -> const std::string& {
    static const std::string empty;
    return i < a.size() ? a[i] : empty;
  };
  std::string m = to_lower(method);
  std::string t = to_lower(type);
  if (t == "msbuild") {
    if (m == "getdirectorynameoffileabove") {
      auto dir = fs_.find_upward(to_path(arg(0)), std::string(trim(arg(1))));
      return dir.value_or("");
    }
    if (m == "getpathoffileabove") {
      std::string start = a.size() > 1 ? to_path(arg(1)) : parent_dir(this_file_);
      std::string name(trim(arg(0)));
      auto dir = fs_.find_upward(start, name);
      if (!dir) return "";
      return fs_.resolve(*dir + "/" + name).value_or(*dir + "/" + name);
    }
    if (m == "ensuretrailingslash") {
      std::string s = arg(0);
      if (!s.empty() && s.back() != '/' && s.back() != '\\') s += '\\';
      return s;
    }
    if (m == "normalizedirectory") return with_trailing(to_path(combine(a)));
    if (m == "normalizepath") return to_path(combine(a));
    if (m == "valueordefault") return arg(0).empty() ? arg(1) : arg(0);
    if (m == "makerelative") {
      std::string r = relative_path(to_path(arg(1)), to_path(arg(0)));
      if (!arg(1).empty() && (arg(1).back() == '/' || arg(1).back() == '\\')) r += '/';
      return r;
    }
    if (m == "isosplatform" || m == "isosplatform") return boolean(iequals(trim(arg(0)), "windows"));
    if (m == "isosunixlike") return boolean(false);
    if (m == "escape" || m == "unescape") return arg(0);
    if (m.rfind("version", 0) == 0) {
      int c = compare_versions(arg(0), arg(1));
      if (m == "versionequals") return boolean(c == 0);
      if (m == "versionnotequals") return boolean(c != 0);
      if (m == "versiongreaterthan") return boolean(c > 0);
      if (m == "versiongreaterthanorequals") return boolean(c >= 0);
      if (m == "versionlessthan") return boolean(c < 0);
      if (m == "versionlessthanorequals") return boolean(c <= 0);
    }
    double x, y;
    if (parse_msbuild_number(arg(0), x) && parse_msbuild_number(arg(1), y)) {
      if (m == "add") return number(x + y);
      if (m == "subtract") return number(x - y);
      if (m == "multiply") return number(x * y);
      if (m == "divide" && y != 0) return number(x / y);
    }
  } else if (t == "system.io.path") {
    if (m == "combine") return combine(a);
    if (m == "getfullpath") return to_path(arg(0));
    if (m == "getdirectoryname") {
      std::string p = arg(0);
      for (char& c : p) if (c == '\\') c = '/';
      size_t slash = p.find_last_of('/');
      return slash == std::string::npos ? "" : p.substr(0, slash);
    }
    if (m == "getfilename") return std::string(file_name(arg(0)));
    if (m == "getfilenamewithoutextension") return std::string(file_stem(arg(0)));
    if (m == "getextension") return std::string(file_ext(arg(0)));
    if (m == "ispathrooted") return boolean(has_root(arg(0)));
  } else if (t == "system.io.file") {
    if (m == "readalltext" && !arg(0).empty() &&
        refuse_outside(to_path(arg(0)), "[System.IO.File]::ReadAllText", loc))
      return "";
    if (m == "exists") return boolean(!arg(0).empty() && fs_.is_file(to_path(arg(0))));
    if (m == "readalltext") {
      // Trees read small files this way (a version, .git/HEAD); a file that
      // is missing or over 1 MiB is not something to guess about.
      std::string text;
      std::error_code ec;  // file_size() fails with a huge value: not read
      auto real = arg(0).empty() ? std::nullopt : fs_.resolve(to_path(arg(0)));
      if (real && std::filesystem::file_size(*real, ec) <= kMaxPropertyValue &&
          read_text_file(*real, text))
        return decode_text(std::move(text));
    }
  } else if (t == "system.io.directory") {
    if (m == "exists") return boolean(!arg(0).empty() && fs_.is_dir(to_path(arg(0))));
  } else if (t == "system.string" || t == "string") {
    if (m == "isnullorempty") return boolean(arg(0).empty());
    if (m == "isnullorwhitespace") return boolean(trim(arg(0)).empty());
    if (m == "copy") return arg(0);
    if (m == "concat") {
      std::string out;
      for (const auto& s : a) out += s;
      return out;
    }
    if (m == "equals") return boolean(arg(0) == arg(1));
  }
  ok = false;
  return "";
}

std::string Expander::with_trailing(std::string dir) {
  if (dir.empty() || (dir.back() != '/' && dir.back() != '\\')) dir += '\\';
  return dir;
}

std::string Expander::call_method(const std::string& self, std::string_view method,
                                  const std::vector<std::string>& a, bool has_args, uint32_t loc,
                                  bool& ok) {
  std::string m = to_lower(method);
  auto arg = [&](size_t i) -> const std::string& {
    static const std::string empty;
    return i < a.size() ? a[i] : empty;
  };
  auto cmp_prefix = [&](std::string_view s, std::string_view p, bool icase) {
    return s.size() >= p.size() && (icase ? iequals(s.substr(0, p.size()), p) : s.substr(0, p.size()) == p);
  };
  bool icase = ignore_case_arg(a, 1);
  if (!has_args && m == "length") return std::to_string(self.size());
  if (m == "endswith") {
    const std::string& p = arg(0);
    return boolean(self.size() >= p.size() &&
                   (icase ? iequals(std::string_view(self).substr(self.size() - p.size()), p)
                          : self.compare(self.size() - p.size(), p.size(), p) == 0));
  }
  if (m == "startswith") return boolean(cmp_prefix(self, arg(0), icase));
  if (m == "contains") {
    if (icase) return boolean(to_lower(self).find(to_lower(arg(0))) != std::string::npos);
    return boolean(self.find(arg(0)) != std::string::npos);
  }
  if (m == "equals") return boolean(icase ? iequals(self, arg(0)) : self == arg(0));
  if (m == "tolower" || m == "tolowerinvariant") return to_lower(self);
  if (m == "toupper" || m == "toupperinvariant") {
    std::string s = self;
    for (char& c : s) if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    return s;
  }
  if (m == "trim" || m == "trimend" || m == "trimstart") {
    std::string chars;
    for (const auto& s : a) chars += s;
    if (chars.empty()) chars = " \t\r\n";
    size_t b = 0, e = self.size();
    if (m != "trimend") while (b < e && chars.find(self[b]) != std::string::npos) ++b;
    if (m != "trimstart") while (e > b && chars.find(self[e - 1]) != std::string::npos) --e;
    return self.substr(b, e - b);
  }
  if (m == "replace" && a.size() == 2) {
    if (a[0].empty()) return self;
    size_t hits = 0;
    for (size_t j = self.find(a[0]); j != std::string::npos; j = self.find(a[0], j + a[0].size())) ++hits;
    if (a[1].size() > a[0].size() &&
        self.size() + hits * (a[1].size() - a[0].size()) > kMaxPropertyValue) {
      diags_.error(locs_.get(loc), fmt::format("Replace() result exceeds the {} byte budget; it "
                                               "expands to nothing", kMaxPropertyValue));
      return "";
    }
    std::string out;
    size_t i = 0;
    for (size_t j; (j = self.find(a[0], i)) != std::string::npos; i = j + a[0].size())
      out += self.substr(i, j - i) + a[1];
    return out + self.substr(i);
  }
  if (m == "substring" || m == "remove") {
    double start = 0, len = -1;
    // !(x >= 0): NaN fails every comparison; a float-to-integer conversion
    // of NaN, inf or 1e30 would be undefined (issue 10 item 9).
    if (!parse_msbuild_number(arg(0), start) || !(start >= 0) || start > double(self.size())) {
      ok = false;
      return "";
    }
    if (a.size() > 1 && !parse_msbuild_number(arg(1), len)) len = -1;
    size_t s = size_t(start);
    size_t n = !(len >= 0) || len > double(self.size()) ? std::string::npos : size_t(len);
    if (m == "substring") return self.substr(s, n);
    std::string out = self;
    return out.erase(s, n);
  }
  if (m == "indexof") return std::to_string(static_cast<long long>(self.find(arg(0))));
  if (m == "lastindexof") return std::to_string(static_cast<long long>(self.rfind(arg(0))));
  ok = false;
  return "";
}

}  // namespace nxpool::buildfiles
