/*
 * nxpool/ntdef.h - the basic NT types, status codes and calling-convention
 * macros the rest of the nxpool headers are written in.
 *
 * Sizes follow the Windows LLP64 model where it matters to drivers: ULONG
 * and LONG are 32 bits on every host, ULONG_PTR and SIZE_T are pointer-sized.
 * WCHAR is the host's wchar_t so that L"" literals in driver code keep
 * compiling (it is 32 bits on Linux, unlike Windows).
 *
 * C11- and C++-clean; includes only <stddef.h>, <stdint.h> and <string.h>.
 */
#ifndef NXPOOL_NTDEF_H
#define NXPOOL_NTDEF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
#define NXPOOL_EXTERN_C_BEGIN extern "C" {
#define NXPOOL_EXTERN_C_END }
#else
#define NXPOOL_EXTERN_C_BEGIN
#define NXPOOL_EXTERN_C_END
#endif

/* ---- calling conventions and linkage ----------------------------------- */

#ifndef NTAPI
#if defined(_MSC_VER) && defined(_M_IX86)
#define NTAPI __stdcall
#else
#define NTAPI
#endif
#endif

#ifndef NTKERNELAPI
#define NTKERNELAPI
#endif
#ifndef NTSYSAPI
#define NTSYSAPI
#endif

/* FORCEINLINE as drivers use it: an inline definition that may sit in a
 * header included by many translation units without clashing at link time. */
#ifndef FORCEINLINE
#if defined(_MSC_VER)
#define FORCEINLINE __forceinline
#elif defined(__GNUC__)
#define FORCEINLINE extern __inline__ __attribute__((__always_inline__, __gnu_inline__))
#else
#define FORCEINLINE static inline
#endif
#endif

/* One definition per image (the .sys/.dll/.so/executable), however many
 * translation units define it: MSVC's selectany COMDAT, or a weak symbol with
 * hidden visibility elsewhere, so that a driver built as a shared object keeps
 * its own copy instead of binding to another image's. */
#ifndef DECLSPEC_SELECTANY
#if defined(_MSC_VER)
#define DECLSPEC_SELECTANY __declspec(selectany)
#elif defined(__GNUC__)
#define DECLSPEC_SELECTANY __attribute__((__weak__, __visibility__("hidden")))
#else
#define DECLSPEC_SELECTANY
#endif
#endif

/* nxpool's own header-internal inline functions. They are static on purpose:
 * their bodies depend on the opt-in macros of the translation unit that
 * includes them, and one body per TU is exactly the WDK's behaviour. */
#define NXPOOL_TU_INLINE static inline

/* ---- scalar types ------------------------------------------------------- */

#ifndef VOID
#define VOID void
#endif
typedef void *PVOID;
typedef const void *PCVOID;
typedef char CHAR;
typedef CHAR *PCHAR, *PSTR;
typedef const CHAR *PCSTR;
typedef unsigned char UCHAR, *PUCHAR;
typedef int16_t SHORT, CSHORT;
typedef uint16_t USHORT, *PUSHORT;
typedef int32_t LONG, *PLONG;
typedef uint32_t ULONG, *PULONG;
typedef int64_t LONGLONG, LONG64;
typedef uint64_t ULONGLONG, ULONG64, *PULONG64;
typedef intptr_t LONG_PTR;
typedef uintptr_t ULONG_PTR, *PULONG_PTR;
typedef size_t SIZE_T, *PSIZE_T;
typedef UCHAR BOOLEAN, *PBOOLEAN;
typedef LONG NTSTATUS;
typedef wchar_t WCHAR, *PWCHAR, *PWSTR;
typedef const WCHAR *PCWSTR;
typedef UCHAR KIRQL;
typedef char CCHAR;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#ifndef UNREFERENCED_PARAMETER
#define UNREFERENCED_PARAMETER(P) ((void)(P))
#endif

/* ---- 64-bit integers as the WDK spells them ----------------------------- */

/* An anonymous struct member is C11 and an extension in C++; __extension__
 * keeps -pedantic C++ builds quiet with GCC and Clang. */
#if defined(__GNUC__)
#define NXPOOL_ANONYMOUS_ __extension__
#else
#define NXPOOL_ANONYMOUS_
#endif

/* Little-endian layout (LowPart first), as on every Windows target. */
typedef union _LARGE_INTEGER {
  NXPOOL_ANONYMOUS_ struct {
    ULONG LowPart;
    LONG HighPart;
  };
  struct {
    ULONG LowPart;
    LONG HighPart;
  } u;
  LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

/* A physical address (MmMapIoSpace, the contiguous allocators). */
typedef LARGE_INTEGER PHYSICAL_ADDRESS, *PPHYSICAL_ADDRESS;

/* ---- status codes (the values Windows uses) ----------------------------- */

#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define STATUS_SUCCESS                 ((NTSTATUS)0x00000000L)
#define STATUS_UNSUCCESSFUL            ((NTSTATUS)0xC0000001L)
#define STATUS_NOT_IMPLEMENTED         ((NTSTATUS)0xC0000002L)
#define STATUS_INVALID_PARAMETER       ((NTSTATUS)0xC000000DL)
#define STATUS_NO_MEMORY               ((NTSTATUS)0xC0000017L)
#define STATUS_ACCESS_VIOLATION        ((NTSTATUS)0xC0000005L)
#define STATUS_INSUFFICIENT_RESOURCES  ((NTSTATUS)0xC000009AL)
#define STATUS_QUOTA_EXCEEDED          ((NTSTATUS)0xC0000044L)

/* ---- memory helpers drivers call as macros ------------------------------- */

#ifndef RtlZeroMemory
#define RtlZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#define RtlFillMemory(Destination, Length, Fill) memset((Destination), (Fill), (Length))
#define RtlCopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
#define RtlMoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#define RtlEqualMemory(A, B, Length) (!memcmp((A), (B), (Length)))
#endif

/* ---- version information ------------------------------------------------- */

typedef struct _RTL_OSVERSIONINFOW {
  ULONG dwOSVersionInfoSize; /* set by the caller to sizeof(RTL_OSVERSIONINFOW) */
  ULONG dwMajorVersion;
  ULONG dwMinorVersion;
  ULONG dwBuildNumber;
  ULONG dwPlatformId;
  WCHAR szCSDVersion[128];
} RTL_OSVERSIONINFOW, *PRTL_OSVERSIONINFOW;

/* ---- strings and driver objects (enough for DriverEntry/Unload) ---------- */

typedef struct _UNICODE_STRING {
  USHORT Length;        /* bytes, without a terminator */
  USHORT MaximumLength; /* bytes */
  PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

struct _DRIVER_OBJECT;
typedef NTSTATUS NTAPI DRIVER_INITIALIZE(struct _DRIVER_OBJECT *DriverObject,
                                         PUNICODE_STRING RegistryPath);
typedef DRIVER_INITIALIZE *PDRIVER_INITIALIZE;
typedef VOID NTAPI DRIVER_UNLOAD(struct _DRIVER_OBJECT *DriverObject);
typedef DRIVER_UNLOAD *PDRIVER_UNLOAD;

typedef struct _DRIVER_OBJECT {
  CSHORT Type;
  CSHORT Size;
  PVOID DriverStart;
  ULONG DriverSize;
  PVOID DriverExtension;
  UNICODE_STRING DriverName;
  PDRIVER_INITIALIZE DriverInit;
  PDRIVER_UNLOAD DriverUnload;
} DRIVER_OBJECT, *PDRIVER_OBJECT;

#endif /* NXPOOL_NTDEF_H */
