#include "suppress/baseline.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "suppress/fingerprint.h"

namespace nxpool::suppress {

int write_baseline(const std::string& path, const std::vector<scan::Finding>& findings, std::string& error) {
  using json = nlohmann::ordered_json;
  std::map<std::string, const scan::Finding*> by_fp;
  for (const scan::Finding& f : findings)
    if (!f.suppressed && !f.fingerprint.empty()) by_fp.emplace(f.fingerprint, &f);
  std::vector<std::pair<std::tuple<std::string, std::uint32_t, std::string, std::string>, json>> rows;
  for (const auto& [fp, f] : by_fp) {
    std::string rel = relative_to(f->file, repo_root_of(f->file));
    if (rel.empty()) rel = f->file;
    rows.push_back({{rel, f->line, f->rule, fp},
                    json{{"fingerprint", fp}, {"rule", f->rule}, {"path", rel}, {"line", f->line}, {"message", f->message}}});
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  json list = json::array();
  for (auto& r : rows) list.push_back(std::move(r.second));
  json doc = {{"nxpoolBaseline", 1}, {"findings", list}};
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << doc.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    out.flush();
    if (!out) {
      error = "cannot write the baseline " + path;
      std::remove(tmp.c_str());
      return -1;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    error = "cannot write the baseline " + path + ": " + ec.message();
    std::remove(tmp.c_str());
    return -1;
  }
  return static_cast<int>(list.size());
}

std::set<std::string> read_baseline(const std::string& path, std::vector<model::InputDiagnostic>& diags) {
  std::set<std::string> out;
  model::InputDiagnostic d;
  d.loc.file = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    d.message = "cannot read the baseline file";
    diags.push_back(std::move(d));
    return out;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based; turn it into line:column.
    std::size_t upto = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    d.loc.line = 1;
    d.loc.column = 1;
    for (std::size_t i = 0; i < upto; ++i) {
      if (text[i] == '\n') {
        ++d.loc.line;
        d.loc.column = 1;
      } else {
        ++d.loc.column;
      }
    }
    d.message = "not a baseline file (malformed JSON)";
    diags.push_back(std::move(d));
    return out;
  } catch (const nlohmann::json::exception&) {
    // A value the library cannot hold (a number beyond a double's range):
    // no position comes with it.
    d.loc.line = 1;
    d.loc.column = 1;
    d.message = "not a baseline file (malformed JSON: a number out of range)";
    diags.push_back(std::move(d));
    return out;
  }
  if (!doc.is_object() || !doc.contains("findings") || !doc["findings"].is_array()) {
    d.message = "not a baseline file (no \"findings\" list; write one with --write-baseline)";
    diags.push_back(std::move(d));
    return out;
  }
  for (const auto& e : doc["findings"])
    if (e.is_object() && e.contains("fingerprint") && e["fingerprint"].is_string())
      out.insert(e["fingerprint"].get<std::string>());
  return out;
}

}  // namespace nxpool::suppress
