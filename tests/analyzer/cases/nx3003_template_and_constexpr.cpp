// nxpool-args: -DPOOL_NX_OPTIN=1   nxpool-mode: optin
#include <ntddk.h>
template <POOL_TYPE T> struct Pool {};
Pool<NonPagedPool> g_pool; // expect: NX3003
constexpr POOL_TYPE kDefault = NonPagedPool; // expect: NX3003
static POOL_TYPE g_dynamic = NonPagedPool;
struct Settings {
    static const POOL_TYPE kPool = NonPagedPool; // expect: NX3003
    static inline POOL_TYPE s_pool = NonPagedPool;
    POOL_TYPE m_pool = NonPagedPool;
};
extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { ExInitializeDriverRuntime(DrvRtPoolNxOptIn); return 0; }
