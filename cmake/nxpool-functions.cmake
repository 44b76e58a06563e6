# nxpool_opt_in(<target> AUTO|RUNTIME)
#   Opts every C/C++ source of <target> in to NX nonpaged pool.
#   AUTO    -> POOL_NX_OPTIN_AUTO=1: NonPagedPool becomes NonPagedPoolNx at
#              compile time (one binary per OS: Windows 8 and later).
#   RUNTIME -> POOL_NX_OPTIN=1: NonPagedPool becomes a per-image variable that
#              ExInitializeDriverRuntime(DrvRtPoolNxOptIn) sets to NX on 6.2+.
#              The file holding DriverEntry must itself be opted in and make
#              that call, or every opted-in allocation stays executable.
#
# nxpool_opt_out(<target> <source>...)
#   Keeps executable NonPagedPool in the named sources of <target> by giving
#   them POOL_NX_OPTOUT=1 on the command line, i.e. before any include (a
#   #define in the file works only above the first include reaching wdm.h).
#   Every named source must belong to <target>: a typo would otherwise be a
#   silent no-op.
#
# Both are plain target/source properties, so they compose with other
# definitions; call them after anything that replaces a target's definitions
# (FindWDK's wdk_add_driver does).

function(nxpool_opt_in target mode)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "nxpool_opt_in: '${target}' is not a target")
  endif()
  if(ARGN)
    message(FATAL_ERROR "nxpool_opt_in: unexpected arguments '${ARGN}' (usage: nxpool_opt_in(<target> AUTO|RUNTIME))")
  endif()
  string(TOUPPER "${mode}" mode)
  if(mode STREQUAL "AUTO")
    set(def POOL_NX_OPTIN_AUTO=1)
  elseif(mode STREQUAL "RUNTIME")
    set(def POOL_NX_OPTIN=1)
  else()
    message(FATAL_ERROR "nxpool_opt_in: mode must be AUTO or RUNTIME, not '${mode}'")
  endif()
  get_target_property(previous ${target} NXPOOL_MODE)
  if(previous AND NOT previous STREQUAL mode)
    message(FATAL_ERROR
      "nxpool_opt_in: '${target}' is already opted in as ${previous}; "
      "POOL_NX_OPTIN and POOL_NX_OPTIN_AUTO together do not compile on x86/x64. Pick one.")
  endif()
  if(NOT previous)
    set_property(TARGET ${target} PROPERTY NXPOOL_MODE ${mode})
    target_compile_definitions(${target} PRIVATE ${def})
  endif()
endfunction()

function(nxpool_opt_out target)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "nxpool_opt_out: '${target}' is not a target")
  endif()
  if(NOT ARGN)
    message(FATAL_ERROR "nxpool_opt_out: name at least one source of '${target}'")
  endif()
  get_target_property(target_dir ${target} SOURCE_DIR)
  get_target_property(target_sources ${target} SOURCES)
  set(known "")
  foreach(s IN LISTS target_sources)
    get_filename_component(abs "${s}" ABSOLUTE BASE_DIR "${target_dir}")
    list(APPEND known "${abs}")
  endforeach()
  foreach(s IN LISTS ARGN)
    get_filename_component(abs "${s}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT abs IN_LIST known)
      get_filename_component(abs2 "${s}" ABSOLUTE BASE_DIR "${target_dir}")
      if(NOT abs2 IN_LIST known)
        message(FATAL_ERROR "nxpool_opt_out: '${s}' is not a source of target '${target}'")
      endif()
      set(abs "${abs2}")
    endif()
    set_property(SOURCE "${abs}" TARGET_DIRECTORY ${target}
                 APPEND PROPERTY COMPILE_DEFINITIONS POOL_NX_OPTOUT=1)
  endforeach()
endfunction()
