# Build time (issue 8). Included last from the top-level CMakeLists.txt, once
# every target exists; not installed.
#
# Unity builds. Most of a fresh build's CPU goes into parsing the same
# headers (the standard library, fmt, nlohmann/json, CLI11, pugixml, toml++)
# and generating the same inline and template code once per source file:
# report/sarif_report.cpp spends 8 s of its 16 s (-O2) in the front end and
# ~8 s in code generation, most of it for json and fmt instantiations. With
# NXPOOL_UNITY_BUILD (default ON) CMake compiles each library below as a few
# generated files that #include NXPOOL_UNITY_BATCH_SIZE sources each, so
# those headers are parsed and their code generated once per batch.
#
# A unity batch is one translation unit: two sources of the same library can
# no longer both define a same-named function, type or variable in an
# anonymous namespace (or `static`). Give such a helper a distinct name,
# share it through a header, or list the file under "kept out of the
# batches" below. New sources need nothing else: they join the batches of
# the target they are added to. Set NXPOOL_UNITY_BUILD=OFF for one object
# per source (a quicker rebuild after touching one file; CI's sanitizer and
# fuzz builds work either way).
#
# Not batched, on purpose:
#   - the runtime (libnxpool): small, fast to compile, and its files keep
#     private state under the same names (Registry, g_all);
#   - examples/ and anything compiled with nxpool_opt_in()/nxpool_opt_out():
#     each file's NX mode is decided at its first include, so merging files
#     would change what the example demonstrates;
#   - tests/: each test file keeps its own helpers in anonymous namespaces.
option(NXPOOL_UNITY_BUILD "Compile the analyzer libraries and the CLI in unity batches" ON)
set(NXPOOL_UNITY_BATCH_SIZE 16 CACHE STRING "Sources per unity batch (NXPOOL_UNITY_BUILD)")

foreach(_nx_target IN ITEMS nxpool_analyzer nxpool_buildfiles nxpool_policy nxpool_fix nxpool)
  if(TARGET ${_nx_target})
    set_target_properties(${_nx_target} PROPERTIES
      UNITY_BUILD ${NXPOOL_UNITY_BUILD}
      UNITY_BUILD_BATCH_SIZE ${NXPOOL_UNITY_BATCH_SIZE})
  endif()
endforeach()

# Kept out of the batches: files whose file-local names clash with another
# file of the same target.
if(TARGET nxpool_fix)
  # fix_nx1001.cpp has its own line_starts(), as edit.cpp does.
  set_property(SOURCE ${PROJECT_SOURCE_DIR}/src/analyzer/fix/rules/fix_nx1001.cpp
               TARGET_DIRECTORY nxpool_fix PROPERTY SKIP_UNITY_BUILD_INCLUSION ON)
endif()
