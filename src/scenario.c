// scenario.c - the set-up that makes the demo's filter take the branches the
// documented run never takes (--scenario). Touches only the memory it
// reserves and a few volatile ints of its own.

#include "demo.h"

// See demo.h. Reserves one allocation granule more, releases it, and
// reserves again at the same base, so that a write or a commit one page past
// the end really fails. With bFence the page after is then reserved too, no
// access, so that nothing the process allocates meanwhile can land where
// --scenario overrun writes. (When the region does not end on a granule,
// that page lies in the region's last granule, where no reservation starts.)
LPVOID ReserveWithFreePageAfter(SIZE_T cbRegion, BOOL bFence)
{
    SYSTEM_INFO si;
    LPVOID lpvProbe;
    LPVOID lpvBase;
    LPBYTE lpAfter;
    MEMORY_BASIC_INFORMATION mbi;

    GetSystemInfo(&si);
    lpvProbe = VirtualAlloc(NULL, cbRegion + si.dwAllocationGranularity, MEM_RESERVE, PAGE_NOACCESS);
    if (lpvProbe == NULL)
        return NULL;
    if (!VirtualFree(lpvProbe, 0, MEM_RELEASE))
        return NULL;
    lpvBase = VirtualAlloc(lpvProbe, cbRegion, MEM_RESERVE, PAGE_NOACCESS);
    if (lpvBase == NULL)
        return NULL;
    lpAfter = (LPBYTE)lpvBase + cbRegion;
    if (VirtualQuery(lpAfter, &mbi, sizeof mbi) == 0 || mbi.State != MEM_FREE
        || (bFence && ((ULONG_PTR)lpAfter % si.dwAllocationGranularity) == 0
            && VirtualAlloc(lpAfter, si.dwPageSize, MEM_RESERVE, PAGE_NOACCESS) == NULL))
    {
        VirtualFree(lpvBase, 0, MEM_RELEASE);
        SetLastError(ERROR_INVALID_ADDRESS);
        return NULL;
    }
    return lpvBase;     // The fence, if any, goes with the process
}

// A real hardware exception that is not an access violation: the CPU
// raises EXCEPTION_INT_DIVIDE_BY_ZERO (0xC0000094).
// (Both operands are volatile: compilers turn 1 / x into a compare.)
static volatile int g_nDividend = 1;
static volatile int g_nZero = 0;
static volatile int g_nQuotient;

// See demo.h. Not inlined, so the division stays a call inside the __try.
#if defined(_MSC_VER)
__declspec(noinline)
#else
__attribute__((noinline))
#endif
void RaiseIntegerDivideByZero(void)
{
    g_nQuotient = g_nDividend / g_nZero;
}
