# Builds docs/rules/NXnnnn.md into the analyzer, so SARIF's help.markdown is
# the rule page itself whether or not the docs are installed next to the
# binary. Re-runs when a page changes (CMAKE_CONFIGURE_DEPENDS).
file(GLOB _nx_pages CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/rules/NX*.md)
list(SORT _nx_pages)
set(_nx_body "")
foreach(_page IN LISTS _nx_pages)
  get_filename_component(_id ${_page} NAME_WE)
  file(READ ${_page} _text)
  string(APPEND _nx_body "    {\"${_id}\", R\"nxpoolpage(${_text})nxpoolpage\"},\n")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_page})
endforeach()
file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/rule_pages.cpp @ONLY CONTENT
"// Generated from docs/rules/*.md by src/analyzer/report/rule_pages.cmake.
#include <string_view>
#include <utility>

#include \"report/report.h\"

namespace nxpool::report {
namespace {
constexpr std::pair<std::string_view, std::string_view> kPages[] = {
${_nx_body}};
}  // namespace

std::string_view rule_page(std::string_view id) {
  for (const auto& [k, v] : kPages)
    if (k == id) return v;
  return {};
}

}  // namespace nxpool::report
")
target_sources(nxpool_analyzer PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/rule_pages.cpp)
