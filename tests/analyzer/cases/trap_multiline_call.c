// nxpool-mode: none
#include <wdm.h>
void f(PMDL mdl)
{
    a = MmGetSystemAddressForMdlSafe(mdl,
                                     NormalPagePriority |
                                     MdlMappingNoExecute);
    b = MmGetSystemAddressForMdlSafe( // expect: NX2004
            mdl,
            NormalPagePriority);
    c = ExAllocatePoolWithTag(
            NonPagedPool, // expect: NX2001
            64,
            'gaT1');
}
