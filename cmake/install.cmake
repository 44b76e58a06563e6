# Install: headers, libnxpool, the nxpool CLI, the CMake package and nxpool.pc.
include(CMakePackageConfigHelpers)

# libnxpool is C++ inside. A C project that links the installed static
# archive (a driver's unit tests often are pure C) links with the C driver,
# so the imported target names the C++ runtime itself.
if(TARGET nxpool_runtime AND NOT BUILD_SHARED_LIBS)
  target_link_libraries(nxpool_runtime INTERFACE $<INSTALL_INTERFACE:stdc++>)
endif()

install(DIRECTORY include/nxpool DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS nxpool_headers EXPORT nxpoolTargets)
install(EXPORT nxpoolTargets NAMESPACE nxpool::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/nxpool)

configure_package_config_file(cmake/nxpoolConfig.cmake.in
  ${PROJECT_BINARY_DIR}/nxpoolConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/nxpool)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/nxpoolConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/nxpoolConfig.cmake
              ${PROJECT_BINARY_DIR}/nxpoolConfigVersion.cmake
              cmake/nxpool-functions.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/nxpool)

# libnxpool is C++ inside: a static archive needs the C++ runtime on the link
# line of a C program that links it through pkg-config alone.
if(BUILD_SHARED_LIBS)
  set(NXPOOL_PC_LIBS "-lnxpool")
else()
  set(NXPOOL_PC_LIBS "-lnxpool -lstdc++ -lpthread")
endif()
# Relocatable: the prefix is found from where nxpool.pc itself is installed,
# so `cmake --install --prefix <dir>` and `make install PREFIX=<dir>` both work.
file(RELATIVE_PATH NXPOOL_PC_TO_PREFIX "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
string(REGEX REPLACE "/$" "" NXPOOL_PC_TO_PREFIX "${NXPOOL_PC_TO_PREFIX}")
configure_file(cmake/nxpool.pc.in ${PROJECT_BINARY_DIR}/nxpool.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/nxpool.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Documentation and the man page: what `nxpool help` points at, readable
# offline where the tool is installed.
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} PATTERN man EXCLUDE)
install(FILES LICENSE README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES docs/man/nxpool.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
