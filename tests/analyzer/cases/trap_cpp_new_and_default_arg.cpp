// nxpool-mode: none
#include <ntddk.h>
void* __cdecl operator new(size_t n, POOL_TYPE type, ULONG tag = 'gaT1');
class Buffer {
public:
    static Buffer* Create(POOL_TYPE type = NonPagedPool); // expect: NX2001
};
void f()
{
    auto* b = new (NonPagedPool) Buffer(); // expect: NX2001
    auto* c = new (NonPagedPoolNx) Buffer();
}
