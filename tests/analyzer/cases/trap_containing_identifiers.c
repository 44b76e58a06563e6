// nxpool-mode: none
#include <wdm.h>
void f(PMDL mdl, SYSTEM_INFORMATION_CLASS c)
{
    MmBuildMdlForNonPagedPool(mdl);
    c = SystemNonPagedPoolInformation;
    x = MyNonPagedPoolHelper(1);
    y = NonPagedPoolNx;
    s.NonPagedPool = 4;
}
