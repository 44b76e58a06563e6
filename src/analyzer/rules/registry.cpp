// Rule texts are our own words, summarising docs/mechanism.md. Each rule also has a
// page in docs/rules/NXnnnn.md with examples.
// Tested by tests/analyzer/registry_test.cpp.
#include "rules/registry.h"

namespace nxpool::rules {
namespace {
using model::Severity;

constexpr RuleInfo kRules[] = {
    {"NX1001", "optout-after-kernel-include", Severity::Warning, false,
     "POOL_NX_OPTOUT defined after the first include that reaches wdm.h: it has no effect",
     "wdm.h reads POOL_NX_OPTOUT once, inside its include guard, so the opt-out must be defined before the first "
     "#include of wdm.h, ntddk.h, ntifs.h or any header that includes them. Defining it later, even before the "
     "first use of NonPagedPool, changes nothing.",
     "Move the #define above the first kernel-header include (or above the precompiled-header include), or set it "
     "for the file in the build.",
     "correctness,nx-pool"},
    {"NX1002", "optout-bad-value", Severity::Warning, false,
     "POOL_NX_OPTOUT defined as 0 (does not opt out) or with an empty body (breaks the header)",
     "The NX macros are tested by value with #if. A value of 0 is the same as leaving the macro undefined, so "
     "`POOL_NX_OPTOUT 0` keeps the opt-in. An empty body makes wdm.h's #if a syntax error.",
     "Write `#define POOL_NX_OPTOUT 1` to opt out, or remove the definition to stay opted in.",
     "correctness,nx-pool"},
    {"NX1003", "optout-without-optin", Severity::Warning, false,
     "opt-out in a file that is not opted in for this configuration: it has no effect",
     "On x86 and x64, POOL_NX_OPTOUT only matters when POOL_NX_OPTIN or POOL_NX_OPTIN_AUTO would otherwise apply. "
     "Without either, NonPagedPool is already executable and the opt-out is dead configuration (on ARM/ARM64 it "
     "does cancel the forced AUTO mode and is not reported).",
     "Remove the opt-out, or add the opt-in it was meant to override to the configuration.", "maintainability,nx-pool"},
    {"NX1004", "optin-and-auto", Severity::Error, false,
     "both POOL_NX_OPTIN and POOL_NX_OPTIN_AUTO on x86/x64",
     "With both set, wdm.h picks AUTO and does not define the NX globals, yet ExInitializeDriverRuntime's inline "
     "body still refers to them: every file that includes wdm.h fails to compile.",
     "Pick one mechanism: POOL_NX_OPTIN_AUTO for a Windows 8+ binary, POOL_NX_OPTIN plus "
     "ExInitializeDriverRuntime(DrvRtPoolNxOptIn) for one binary that also runs on older systems.",
     "correctness,nx-pool"},
    {"NX1005", "optin-after-kernel-include", Severity::Warning, false,
     "#define POOL_NX_OPTIN or POOL_NX_OPTIN_AUTO placed after the first include that reaches wdm.h: no effect",
     "The opt-in is decided once per translation unit when wdm.h is first included. A definition after that point "
     "leaves NonPagedPool executable in this file.",
     "Define the macro in the build (C_DEFINES, PreprocessorDefinitions, -D) or before the first kernel-header "
     "include.",
     "correctness,nx-pool"},
    {"NX1101", "optin-without-runtime-init", Severity::Warning, false,
     "OPTIN code in the image, but no ExInitializeDriverRuntime(DrvRtPoolNxOptIn) in any OPTIN file",
     "Under POOL_NX_OPTIN, NonPagedPool becomes the per-image variable ExDefaultNonPagedPoolType, which starts as "
     "executable pool. Only ExInitializeDriverRuntime(DrvRtPoolNxOptIn), compiled in an OPTIN file of the same "
     "image, switches it to NX; without that call every opted-in allocation stays executable.",
     "Call ExInitializeDriverRuntime(DrvRtPoolNxOptIn) at the top of DriverEntry (or DllInitialize) in a file "
     "compiled with POOL_NX_OPTIN=1, or switch to POOL_NX_OPTIN_AUTO.",
     "security,nx-pool"},
    {"NX1102", "runtime-init-compiles-to-nothing", Severity::Warning, false,
     "ExInitializeDriverRuntime called from a file where it compiles to nothing (not OPTIN, opted out, or AUTO)",
     "The inline body of ExInitializeDriverRuntime is selected by the calling file's own NX macros. In a file "
     "that is not OPTIN (or is opted out) the NX part is compiled out, so the call does not make the image's "
     "OPTIN allocations NX.",
     "Make the call from a file compiled with POOL_NX_OPTIN=1 (usually the one with DriverEntry), or remove it "
     "under AUTO.",
     "correctness,nx-pool"},
    {"NX1103", "runtime-init-without-flag", Severity::Warning, false,
     "ExInitializeDriverRuntime under OPTIN without DrvRtPoolNxOptIn in its flags",
     "The NX switch happens only when the flags include DrvRtPoolNxOptIn; `ExInitializeDriverRuntime(0)` leaves "
     "the image's opted-in allocations executable.",
     "Pass DrvRtPoolNxOptIn (ORed with any other flags).", "security,nx-pool"},
    {"NX1104", "runtime-init-placement", Severity::Warning, false,
     "ExInitializeDriverRuntime not called directly in DriverEntry/DllInitialize, or called after the first "
     "nonpaged allocation there",
     "Allocations made before the call get executable pool, and a call hidden in a helper is easy to reorder or "
     "skip on an error path.",
     "Make the call the first statement of DriverEntry (or DllInitialize for an export driver or DLL).",
     "correctness,nx-pool"},
    {"NX2001", "executable-pool-type", Severity::Warning, true,
     "NonPagedPool or NonPagedPoolCacheAligned that stays executable here, or a MustSucceed/Session/Base nonpaged "
     "type or a literal 0 used as a pool type",
     "Without an opt-in in effect (or with POOL_NX_OPTOUT, or with OPTIN but no runtime initialisation in the "
     "image), NonPagedPool is the executable pool type 0. The MustSucceed, Session and Base names and a literal 0 "
     "are never remapped by any mode.",
     "Use NonPagedPoolNx (Windows 8+), or opt the file in with POOL_NX_OPTIN_AUTO / POOL_NX_OPTIN. Use "
     "NonPagedPoolExecute only where code must run from the allocation.",
     "security,nx-pool,hvci"},
    {"NX2002", "explicit-executable-request", Severity::Note, true,
     "an explicit executable request: NonPagedPoolExecute, POOL_FLAG_NON_PAGED_EXECUTE, PAGE_EXECUTE*",
     "These names ask for executable memory on purpose. Memory integrity (HVCI) refuses such memory, so they are "
     "reported as notes, and as errors with --hvci.",
     "Use NonPagedPoolNx, POOL_FLAG_NON_PAGED, or a PAGE_READ*/PAGE_READWRITE protection unless the memory must "
     "hold code.",
     "security,nx-pool,hvci"},
    {"NX2003", "executable-only-api", Severity::Warning, true,
     "an API that only gives executable memory: MmMapIoSpace, MmAllocateContiguousMemory, "
     "MmAllocateContiguousMemorySpecifyCache[Node] with MmCached, MmMapLockedPages",
     "No argument and no opt-in mode makes these mappings or allocations non-executable.",
     "Use MmMapIoSpaceEx with PAGE_READWRITE|PAGE_NOCACHE, MmAllocateContiguousNodeMemory with PAGE_READWRITE, "
     "and MmMapLockedPagesSpecifyCache with MdlMappingNoExecute.",
     "security,nx-pool,hvci"},
    {"NX2004", "mdl-mapping-executable", Severity::Warning, true,
     "an MDL mapping without MdlMappingNoExecute in a file that is not opted in",
     "MmGetSystemAddressForMdlSafe and MmMapLockedPagesSpecifyCache map executable system addresses unless the "
     "priority carries MdlMappingNoExecute; only the AUTO/OPTIN wrappers add it automatically.",
     "OR MdlMappingNoExecute into the priority argument (Windows 8+), or opt the file in.",
     "security,nx-pool,hvci"},
    {"NX2005", "npaged-lookaside-executable", Severity::Warning, true,
     "ExInitializeNPagedLookasideList without POOL_NX_ALLOCATION in a file that is not opted in",
     "The list's entries come from executable nonpaged pool unless Flags include POOL_NX_ALLOCATION; only the "
     "AUTO/OPTIN wrappers add it automatically.",
     "Pass POOL_NX_ALLOCATION in Flags (Windows 8+), or opt the file in.", "security,nx-pool,hvci"},
    {"NX3001", "pool-type-as-pool-flags", Severity::Error, false,
     "a POOL_TYPE name passed as POOL_FLAGS to ExAllocatePool2/3",
     "ExAllocatePool2/3 take POOL_FLAGS, not POOL_TYPE. NonPagedPool is 0 (no pool kind: the allocation fails) "
     "and PagedPool is 1 (POOL_FLAG_USE_QUOTA).",
     "Use POOL_FLAG_NON_PAGED (NX), POOL_FLAG_PAGED, or POOL_FLAG_NON_PAGED_EXECUTE.", "correctness,nx-pool"},
    {"NX3002", "zero-pool-type-bit-test", Severity::Warning, false,
     "a bit test against a zero-valued pool type",
     "NonPagedPoolExecute (and NonPagedPool where it is not remapped) is 0, so `type & NonPagedPoolExecute` is "
     "always 0 and the test never selects what it was meant to.",
     "Compare with == or test the NX bit: `(type & NonPagedPoolNx) == 0` means executable.",
     "correctness,nx-pool"},
    {"NX3003", "nonpagedpool-constant-context", Severity::Error, false,
     "NonPagedPool in a constant context (case label, static or enumerator initializer, template argument) in an "
     "OPTIN file, where it is a variable",
     "Under POOL_NX_OPTIN, NonPagedPool expands to the variable ExDefaultNonPagedPoolType, which is not a constant "
     "expression: the file does not compile.",
     "Use NonPagedPoolNx or NonPagedPoolExecute explicitly in constant contexts, or compare at run time.",
     "correctness,nx-pool"},
    {"NX3004", "deprecated-pool-allocator", Severity::Note, false,
     "a pool allocator deprecated since Windows 10 2004: ExAllocatePool, ExAllocatePoolWithTag, ...WithQuota[Tag], "
     "...WithTagPriority (off by default)",
     "From Windows 10 2004 the POOL_TYPE allocators are deprecated in favour of ExAllocatePool2/3, which take "
     "POOL_FLAGS (nonpaged means NX) and zero the block. The compiler's deprecation warning and the code "
     "analysis warning C28751 report the same calls. Reported only when enabled, because older targets have no "
     "ExAllocatePool2.",
     "For a Windows 10 2004+ target: ExAllocatePool2(POOL_FLAG_*, size, tag), or ExAllocatePool3 with a priority "
     "parameter; for older targets ExAllocatePoolUninitialized/ExAllocatePoolZero and their Quota/Priority forms.",
     "maintainability,nx-pool", true},
    // Binary rules (src/analyzer/binary/): PE images, not sources.
    {"NX4000", "image-facts", Severity::Note, false,
     "facts about a PE image: machine, subsystem, /INTEGRITYCHECK, NX compatibility, Control Flow Guard, imports",
     "One note per scanned image, so a report shows what was checked and the flags that decide whether Windows "
     "enforces code integrity on it. Table problems the parser worked around are noted here too.",
     "Nothing to fix; a note.", "nx-pool,hvci,binary"},
    {"NX4001", "writable-executable-section", Severity::Warning, true,
     "a section of the image is both writable and executable (Verifier 0xC4/0x2003)",
     "Memory integrity never maps a page writable and executable at once, so it refuses an image with a W+X "
     "section; Driver Verifier's code-integrity check stops with bug check 0xC4, parameter 0x2003. INIT sections "
     "are reported too: they are freed after initialisation, but their header is checked at load.",
     "Drop the W from code sections: no /SECTION:name,RWE, no #pragma section(..., write, execute), no /MERGE "
     "of a data section into a code section (or of code into data).",
     "security,nx-pool,hvci,binary"},
    {"NX4002", "section-not-page-aligned", Severity::Warning, true,
     "section alignment below the page size, or a section that does not start on a page (Verifier 0xC4/0x2004)",
     "Page protections apply to whole pages. With sections smaller than a page sharing pages, code and data "
     "cannot get separate protections; memory integrity refuses the image and Driver Verifier stops with 0xC4, "
     "parameter 0x2004.",
     "Link with a section alignment of 0x1000 (the default; remove /ALIGN below 4096 or DRIVER_ALIGNMENT).",
     "security,nx-pool,hvci,binary"},
    {"NX4003", "iat-in-executable-section", Severity::Warning, true,
     "the import address table is inside an executable section (Verifier 0xC4/0x2005)",
     "The loader writes the IAT when it binds imports, so a section holding it must be writable at load time; if "
     "that section is also code, memory integrity refuses the image. Driver Verifier stops with 0xC4, parameter "
     "0x2005.",
     "Remove the /MERGE that puts .rdata or .idata into .text (for example /MERGE:.rdata=.text).",
     "security,nx-pool,hvci,binary"},
    {"NX4004", "relocation-straddles-page", Severity::Warning, true,
     "a base relocation whose target crosses a page boundary",
     "A fix-up split over two pages cannot be applied page by page. Windows 10 1507 to 1607 with memory "
     "integrity refused such images; later versions handle them, so this matters for drivers that support those "
     "releases.",
     "Do not pack pointers at unaligned offsets (#pragma pack(1) structures holding pointers); keep pointers "
     "naturally aligned.",
     "security,hvci,binary"},
    {"NX4005", "imports-executable-only-api", Severity::Warning, true,
     "the image imports an API that can only give executable memory (MmMapIoSpace, MmAllocateContiguousMemory...)",
     "MmMapIoSpace, MmAllocateContiguousMemory, MmAllocateContiguousMemorySpecifyCache[Node] and MmMapLockedPages "
     "have no way to ask for non-executable memory; the import shows the driver uses one.",
     "Use MmMapIoSpaceEx with PAGE_READWRITE|PAGE_NOCACHE, MmAllocateContiguousNodeMemory with PAGE_READWRITE, "
     "MmMapLockedPagesSpecifyCache with MdlMappingNoExecute.",
     "security,nx-pool,hvci,binary"},
    {"NX4006", "constant-executable-request-in-code", Severity::Warning, true,
     "a call through the import table passes a constant that asks for executable memory",
     "Found in the machine code (x64, ARM64): pool type 0 or another executable nonpaged type to ExAllocatePool*, "
     "POOL_FLAG_NON_PAGED_EXECUTE to ExAllocatePool2/3, a priority without MdlMappingNoExecute to "
     "MmMapLockedPagesSpecifyCache, lookaside flags without POOL_NX_ALLOCATION, PAGE_EXECUTE* protections.",
     "Fix the source the call comes from (nxpool scan reports it there as NX2001-NX2005): NonPagedPoolNx, "
     "POOL_FLAG_NON_PAGED, MdlMappingNoExecute, POOL_NX_ALLOCATION, PAGE_READWRITE; or opt the file in.",
     "security,nx-pool,hvci,binary"},
};

}  // namespace

std::span<const RuleInfo> all_rules() { return kRules; }

const RuleInfo* find_rule(std::string_view id) {
  for (const RuleInfo& r : kRules)
    if (r.id == id) return &r;
  return nullptr;
}

}  // namespace nxpool::rules
