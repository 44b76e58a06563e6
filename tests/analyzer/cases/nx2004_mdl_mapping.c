// nxpool-mode: none
#include <wdm.h>
void f(PMDL mdl, ULONG prio)
{
    a = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority); // expect: NX2004
    b = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
    c = MmMapLockedPagesSpecifyCache(mdl, KernelMode, MmCached, NULL, FALSE, HighPagePriority); // expect: NX2004
    d = MmMapLockedPagesSpecifyCache(mdl, UserMode, MmCached, NULL, FALSE, HighPagePriority);
    e = MmGetSystemAddressForMdlSafe(mdl, prio);
}
