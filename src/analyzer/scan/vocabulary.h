// The identifiers nxpool cares about, in one place: pool types, executable
// request names, the APIs the rules inspect, and the substrings the literal
// prefilter looks for. Everything else in a source file is only lexed.
#pragma once

#include <cstdint>
#include <string_view>

namespace nxpool::scan {

enum class Word : std::uint8_t {
  None,
  // POOL_TYPE names the header remaps in AUTO/OPTIN (docs/mechanism.md §2.1).
  NonPagedPool,
  NonPagedPoolCacheAligned,
  // Executable nonpaged names that no mode remaps (docs/mechanism.md §2.4).
  NonPagedPoolExecute,
  NonPagedFixedExecutable,  // MustSucceed / Session / Base names
  // Other POOL_TYPE names (relevant for NX3001 only).
  OtherPoolType,
  // Explicit executable requests (NX2002).
  PoolFlagNonPagedExecute,
  PageExecute,
  // Flags that make an argument non-executable.
  MdlMappingNoExecute,
  PoolNxAllocation,
  DrvRtPoolNxOptIn,
  MmCached,
  PoolFlagConstant,  // POOL_RAISE_IF_ALLOCATION_FAILURE and the other lookaside Flags bits
  PagePriority,  // LowPagePriority / NormalPagePriority / HighPagePriority / MdlMappingNoWrite...
  UserMode,
  // APIs.
  LegacyAllocator,            // ExAllocatePool*, arg 0 is a POOL_TYPE
  ExAllocatePool2,            // ExAllocatePool2/3, arg 0 is POOL_FLAGS
  ExInitializeLookasideListEx,
  ExInitializeNPagedLookasideList,
  MmGetSystemAddressForMdlSafe,
  MmMapLockedPagesSpecifyCache,
  ExecutableOnlyApi,           // MmMapIoSpace, MmAllocateContiguousMemory, MmMapLockedPages
  ContiguousSpecifyCache,      // MmAllocateContiguousMemorySpecifyCache[Node]
  ExInitializeDriverRuntime,
  EntryFunction,               // DriverEntry, DllInitialize
};

// Classifies an identifier; Word::None for everything else.
Word classify(std::string_view ident);

// True for words whose presence in a macro body makes the macro worth
// expanding at its use sites.
inline bool is_relevant(Word w) { return w != Word::None && w != Word::EntryFunction && w != Word::UserMode; }

// True when `text` contains any substring that can start a relevant word
// (the per-file literal prefilter: a file without one needs no code tokens).
bool has_anchor(std::string_view text);

// Names of the NX macros (docs/mechanism.md §1.1) and of the runtime-zeroing macro.
inline constexpr std::string_view kOptIn = "POOL_NX_OPTIN";
inline constexpr std::string_view kOptInAuto = "POOL_NX_OPTIN_AUTO";
inline constexpr std::string_view kOptOut = "POOL_NX_OPTOUT";
inline constexpr std::string_view kZeroDownLevel = "POOL_ZERO_DOWN_LEVEL_SUPPORT";

}  // namespace nxpool::scan
