// nxpool-mode: none
// A header nobody includes, scanned on its own: its inline wrapper allocates.
FORCEINLINE PVOID AllocNonPaged(SIZE_T n)
{
    return ExAllocatePoolWithTag(NonPagedPool, n, 'gaT1'); // expect: NX2001
}
