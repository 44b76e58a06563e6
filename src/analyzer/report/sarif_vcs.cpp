// versionControlProvenance from `git` (run only when the root has .git), and
// the URI helpers. A remote in scp form (git@host:owner/repo.git) becomes
// https://host/owner/repo, since SARIF wants an absolute URI; a checkout
// with no remote names its own directory as a file:/// URI.
#include <cstdio>
#include <filesystem>

#include "report/sarif_parts.h"

namespace nxpool::report::sarif {
namespace {

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string git(const std::string& root, const std::string& args) {
  std::string cmd = "git -C " + quoted(root) + " " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "";
  std::string out;
  char buf[256];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  if (pclose(p) != 0) return "";
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string https_remote(std::string url) {
  if (url.rfind("git@", 0) == 0) {
    std::size_t colon = url.find(':');
    if (colon != std::string::npos) url = "https://" + url.substr(4, colon - 4) + "/" + url.substr(colon + 1);
  } else if (url.rfind("ssh://git@", 0) == 0) {
    url = "https://" + url.substr(10);
  }
  if (url.size() > 4 && url.compare(url.size() - 4, 4, ".git") == 0) url.resize(url.size() - 4);
  // Credentials in an https remote stay out of the report.
  if (std::size_t at = url.find('@'), scheme = url.find("://");
      at != std::string::npos && scheme != std::string::npos && at > scheme)
    url = url.substr(0, scheme + 3) + url.substr(at + 1);
  return url;
}

}  // namespace

std::string uri_encode(const std::string& p) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : p) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string file_uri(const std::string& absolute_path) { return "file://" + uri_encode(absolute_path); }

nlohmann::ordered_json version_control(const std::string& root) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  std::error_code ec;
  if (root.empty() || !std::filesystem::exists(std::filesystem::path(root) / ".git", ec)) return out;
  std::string revision = git(root, "rev-parse HEAD");
  if (revision.empty()) return out;
  std::string remote = git(root, "config --get remote.origin.url");
  std::string repo = remote.empty() ? file_uri(root + "/") : https_remote(remote);
  nlohmann::ordered_json v = {{"repositoryUri", repo}, {"revisionId", revision}};
  std::string branch = git(root, "rev-parse --abbrev-ref HEAD");
  if (!branch.empty() && branch != "HEAD") v["branch"] = branch;
  v["mappedTo"] = {{"uriBaseId", "%SRCROOT%"}};
  out.push_back(v);
  return out;
}

}  // namespace nxpool::report::sarif
