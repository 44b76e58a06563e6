/* Code generated at run time has to live in executable pool, so this one
 * file opts out. The #define must come before the first #include that
 * reaches wdm.h (here through driver.h -> ntddk.h); below it, it would do
 * nothing at all. */
#define POOL_NX_OPTOUT 1
#include "driver.h"

const char *thunk_file_mode(void) { return NXPOOL_NX_MODE_NAME; }

/* `return <answer>;` in the host's machine code. */
static SIZE_T emit_return_constant(UCHAR *out, int answer) {
#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
  out[0] = 0xB8; /* mov eax, imm32 */
  memcpy(out + 1, &answer, 4);
  out[5] = 0xC3; /* ret */
  return 6;
#elif defined(__aarch64__)
  ULONG insn[2];
  insn[0] = 0x52800000u | (((ULONG)answer & 0xFFFFu) << 5); /* movz w0, #answer */
  insn[1] = 0xD65F03C0u;                                    /* ret */
  memcpy(out, insn, sizeof insn);
  return sizeof insn;
#else
#error "legacy_driver: no machine-code template for this host"
#endif
}

NTSTATUS thunk_create(int answer) {
  /* NonPagedPool here is still the executable pool type 0. */
  UCHAR *code = (UCHAR *)ExAllocatePoolWithTag(NonPagedPool, 64, TAG_THUNK);
  if (code == NULL) return STATUS_INSUFFICIENT_RESOURCES;
  SIZE_T length = emit_return_constant(code, answer);
#if defined(__GNUC__)
  __builtin___clear_cache((char *)code, (char *)code + length);
#else
  (void)length;
#endif
  g_state.Thunk = code;
  g_state.ThunkPoolType = (int)NonPagedPool;
  return STATUS_SUCCESS;
}

int thunk_call(void) {
  int (*routine)(void);
  memcpy(&routine, &g_state.Thunk, sizeof routine);
  return routine();
}

VOID thunk_destroy(void) {
  if (g_state.Thunk != NULL) {
    ExFreePoolWithTag(g_state.Thunk, TAG_THUNK);
    g_state.Thunk = NULL;
  }
}
