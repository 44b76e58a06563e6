// Issue 9 item 2: PAGE_EXECUTE_* given to ZwAllocateVirtualMemory (after
// attaching to a process) makes user address-space memory executable: a
// note that says so, not the "memory integrity refuses" claim, even with
// --hvci. The same protection in a kernel mapping is still NX2002:error.
// nxpool-args: -DPOOL_NX_OPTIN_AUTO=1 --hvci   nxpool-mode: auto
#include <ntddk.h>
NTSTATUS map_into(PEPROCESS proc, PVOID *base, SIZE_T *size, PMDL mdl)
{
    KAPC_STATE apc;
    NTSTATUS st;
    KeStackAttachProcess(proc, &apc);
    st = ZwAllocateVirtualMemory(NtCurrentProcess(), base, 0, size, MEM_COMMIT,
                                 PAGE_EXECUTE_READWRITE); // expect: NX2002:note
    KeUnstackDetachProcess(&apc);
    MmProtectMdlSystemAddress(mdl, PAGE_EXECUTE_READ); // expect: NX2002:error
    return st;
}
