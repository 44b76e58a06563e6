// .nxpool.yaml through yaml-cpp (Debian's libyaml-cpp-dev), converted to a
// positioned config::Value tree. yaml-cpp counts lines and columns from 0;
// diagnostics count from 1. A plain (unquoted) true/false/yes/no is a
// boolean; every other scalar is a string.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "config/config.h"

namespace nxpool::config {
namespace {

Value convert(const YAML::Node& n) {
  Value v;
  v.line = static_cast<std::uint32_t>(n.Mark().line + 1);
  v.column = static_cast<std::uint32_t>(n.Mark().column + 1);
  switch (n.Type()) {
    case YAML::NodeType::Scalar: {
      v.kind = Value::Kind::String;
      v.str = n.Scalar();
      if (n.Tag() == "?") {
        if (v.str == "true" || v.str == "True" || v.str == "yes" || v.str == "on") {
          v.kind = Value::Kind::Bool;
          v.boolean = true;
        } else if (v.str == "false" || v.str == "False" || v.str == "no" || v.str == "off") {
          v.kind = Value::Kind::Bool;  // under rules:, false means off
          v.boolean = false;
        }
      }
      break;
    }
    case YAML::NodeType::Sequence:
      v.kind = Value::Kind::Array;
      for (const YAML::Node& i : n) v.items.push_back(convert(i));
      break;
    case YAML::NodeType::Map:
      v.kind = Value::Kind::Table;
      for (const auto& kv : n) v.fields.push_back(Field{kv.first.Scalar(), convert(kv.second)});
      break;
    default:
      v.kind = Value::Kind::Null;
  }
  return v;
}

}  // namespace

std::optional<Value> read_yaml(const std::string& path, std::vector<model::InputDiagnostic>& diags) {
  model::InputDiagnostic d;
  d.loc.file = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    d.message = "cannot read the configuration file";
    diags.push_back(std::move(d));
    return std::nullopt;
  }
  try {
    YAML::Node root = YAML::Load(in);
    Value v = convert(root);
    v.line = v.column = 1;
    return v;
  } catch (const YAML::Exception& e) {
    d.loc.line = e.mark.line + 1;
    d.loc.column = e.mark.column + 1;
    d.message = e.msg;
    diags.push_back(std::move(d));
    return std::nullopt;
  }
}

}  // namespace nxpool::config
