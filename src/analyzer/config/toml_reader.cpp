// .nxpool.toml through toml++ (Debian's libtomlplusplus-dev), converted to a
// positioned config::Value tree. A syntax error becomes one
// `file:line:col: error:` diagnostic.
#include <toml++/toml.h>

#include "config/config.h"

namespace nxpool::config {
namespace {

Value convert(const toml::node& n) {
  Value v;
  v.line = static_cast<std::uint32_t>(n.source().begin.line);
  v.column = static_cast<std::uint32_t>(n.source().begin.column);
  if (auto s = n.as_string()) {
    v.kind = Value::Kind::String;
    v.str = s->get();
  } else if (auto b = n.as_boolean()) {
    v.kind = Value::Kind::Bool;
    v.boolean = b->get();
  } else if (n.is_number()) {
    v.kind = Value::Kind::Number;
  } else if (auto a = n.as_array()) {
    v.kind = Value::Kind::Array;
    for (const toml::node& i : *a) v.items.push_back(convert(i));
  } else if (auto t = n.as_table()) {
    v.kind = Value::Kind::Table;
    for (const auto& [k, child] : *t) v.fields.push_back(Field{std::string(k.str()), convert(child)});
  }
  return v;
}

}  // namespace

std::optional<Value> read_toml(const std::string& path, std::vector<model::InputDiagnostic>& diags) {
  try {
    toml::table t = toml::parse_file(path);
    Value v = convert(t);
    v.line = v.column = 1;
    return v;
  } catch (const toml::parse_error& e) {
    model::InputDiagnostic d;
    d.loc.file = path;
    d.loc.line = static_cast<int>(e.source().begin.line);
    d.loc.column = static_cast<int>(e.source().begin.column);
    d.message = std::string(e.description());
    diags.push_back(std::move(d));
    return std::nullopt;
  }
}

}  // namespace nxpool::config
