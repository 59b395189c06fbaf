// scenario.c - the set-up that makes the demo's filter take the branches the
// documented run never takes (--scenario). Touches only the memory it
// reserves and a few volatile ints of its own.

#include "demo.h"

// TRUE if the page at lpAfter is free. Where a reservation can start there
// (a granule boundary) the test is to reserve that page: VirtualAlloc with
// MEM_RESERVE at an address fails unless the range is free. With bKeep the
// reservation stays (the fence); else it is released at once. (VirtualQuery
// alone would refuse good places under 32-bit Wine, which reports free
// memory outside its own reserved areas as MEM_RESERVE: docs/ARCHITECTURES.md.)
// Inside the region's last granule no reservation can start, and
// VirtualQuery's MEM_FREE is the test.
static BOOL PageAfterIsFree(LPBYTE lpAfter, BOOL bKeep, const SYSTEM_INFO *psi)
{
    MEMORY_BASIC_INFORMATION mbi;
    LPVOID lpvPage;

    if (((ULONG_PTR)lpAfter % psi->dwAllocationGranularity) != 0)
        return VirtualQuery(lpAfter, &mbi, sizeof mbi) != 0 && mbi.State == MEM_FREE;
    lpvPage = VirtualAlloc(lpAfter, psi->dwPageSize, MEM_RESERVE, PAGE_NOACCESS);
    if (lpvPage == NULL)
        return FALSE;
    if (!bKeep)
        VirtualFree(lpvPage, 0, MEM_RELEASE);
    return TRUE;
}

// One attempt of ReserveWithFreePageAfter. Returns the base, or NULL with
// the last error set.
static LPVOID TryReserveWithFreePageAfter(SIZE_T cbRegion, BOOL bFence, const SYSTEM_INFO *psi)
{
    LPVOID lpvProbe;
    LPVOID lpvBase;

    lpvProbe = VirtualAlloc(NULL, cbRegion + psi->dwAllocationGranularity, MEM_RESERVE, PAGE_NOACCESS);
    if (lpvProbe == NULL)
        return NULL;
    if (!VirtualFree(lpvProbe, 0, MEM_RELEASE))
        return NULL;
    lpvBase = VirtualAlloc(lpvProbe, cbRegion, MEM_RESERVE, PAGE_NOACCESS);
    if (lpvBase == NULL)
        return NULL;
    if (!PageAfterIsFree((LPBYTE)lpvBase + cbRegion, bFence, psi))
    {
        VirtualFree(lpvBase, 0, MEM_RELEASE);
        SetLastError(ERROR_INVALID_ADDRESS);
        return NULL;
    }
    return lpvBase;     // The fence, if any, goes with the process
}

// See demo.h. Reserves one allocation granule more, releases it, and
// reserves again at the same base, so that a write or a commit one page past
// the end really fails. With bFence the page after is then reserved too, no
// access, so that nothing the process allocates meanwhile can land where
// --scenario overrun writes. (When the region does not end on a granule,
// that page lies in the region's last granule, where no reservation starts.)
LPVOID ReserveWithFreePageAfter(SIZE_T cbRegion, BOOL bFence)
{
    enum { ATTEMPTS = 8 };
    SYSTEM_INFO si;
    LPVOID lpvBase = NULL;
    int nAttempt;

    GetSystemInfo(&si);
    // Between the probe's release and the reservation another allocation of
    // the process may take the place: then try again at a new one.
    for (nAttempt = 0; nAttempt < ATTEMPTS && lpvBase == NULL; nAttempt++)
        lpvBase = TryReserveWithFreePageAfter(cbRegion, bFence, &si);
    return lpvBase;
}

// A real hardware exception that is not an access violation:
// EXCEPTION_INT_DIVIDE_BY_ZERO (0xC0000094), on every CPU we build for.
// On x86 and x64 the CPU's divide instruction traps by itself. On ARM64 it
// does not (sdiv by zero gives 0), so MSVC guards each integer division
// with a zero test and "brk #0xF004", the break code that Windows reports
// as EXCEPTION_INT_DIVIDE_BY_ZERO; clang for aarch64-pc-windows-msvc emits
// a bare sdiv (seen with llvm-objdump). So on ARM64 we write MSVC's guard
// ourselves, with the __break intrinsic that both compilers offer there:
// the same exception, the same trace, and no RaiseException.
// Not 0xF003: that is __fastfail (clang's test CodeGen/ms-intrinsics.c and
// mingw-w64's intrin-impl.h both emit "brk #0xF003" for it), which ends the
// process without running any exception filter.
// (Both operands are volatile: compilers turn 1 / x into a compare.)
static volatile int g_nDividend = 1;
static volatile int g_nZero = 0;
static volatile int g_nQuotient;

#if defined(_M_ARM64) || defined(__aarch64__)
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>             // MSVC declares __break here
#else
void __break(int);              // A clang builtin; mingw-w64 has no ARM64 intrin.h to declare it
#endif
#define ARM64_DIVIDE_BY_ZERO_BREAK 0xF004
#endif

// See demo.h. Not inlined, so the division stays a call inside the __try.
#if defined(_MSC_VER)
__declspec(noinline)
#else
__attribute__((noinline))
#endif
void RaiseIntegerDivideByZero(void)
{
    int nDivisor = g_nZero;

#if defined(_M_ARM64) || defined(__aarch64__)
    if (nDivisor == 0)
        __break(ARM64_DIVIDE_BY_ZERO_BREAK);
#endif
    g_nQuotient = g_nDividend / nDivisor;
}

// Commits the page at lpPage with dwProtect for a scenario's set-up,
// or says why not and exits with EXIT_SETUP_FAILED.
static void CommitForScenario(LPBYTE lpPage, DWORD dwProtect)
{
    if (VirtualAlloc(lpPage, SystemPageSize(), MEM_COMMIT, dwProtect) == NULL)
    {
        _tprintf(TEXT("Error! The scenario's VirtualAlloc(MEM_COMMIT) failed with error code of %lu.\n"),
                 GetLastError());
        fflush(stdout);
        exit(EXIT_SETUP_FAILED);
    }
}

// The page --scenario read-only commits PAGE_READONLY: page 1, so that the
// loop meets it after one ordinary fault; page 0 in a one-page region.
static DWORD ReadOnlyPage(DWORD dwRegionPages)
{
    return dwRegionPages >= 2 ? 1 : 0;
}

// See demo.h.
void ScenarioBeforeLoop(SCENARIO scenario, LPBYTE lpBase, DWORD dwRegionPages)
{
    DWORD dwPage = ReadOnlyPage(dwRegionPages);

    if (scenario == SCENARIO_READ_ONLY)
    {
        _tprintf(TEXT("Committing page %lu read-only (PAGE_READONLY) before the loop.\n"), dwPage);
        CommitForScenario(lpBase + (SIZE_T)dwPage * SystemPageSize(), PAGE_READONLY);
    }
    else if (scenario == SCENARIO_GUARD_GROW)
    {
        _tprintf(TEXT("Committing page 0 as a guard page (PAGE_GUARD) before the loop.\n"));
        CommitForScenario(lpBase, PAGE_READWRITE | PAGE_GUARD);
    }
}

// The byte --scenario stray-write writes: in the page just past the region,
// the fence ReserveWithFreePageAfter reserves (or free memory, when the
// region does not end on an allocation granule).
static volatile BYTE *volatile g_lpStray;

// See demo.h. Not inlined, so the write stays a call inside the __try.
#if defined(_MSC_VER)
__declspec(noinline)
#else
__attribute__((noinline))
#endif
void ScenarioEvent(SCENARIO scenario, LPBYTE lpBase, SIZE_T cbRegion)
{
    if (scenario == SCENARIO_STRAY_WRITE)
    {
        _tprintf(TEXT("Writing one byte outside the region, in the page just past its end.\n"));
        g_lpStray = lpBase + cbRegion + SystemPageSize() / 2;
        *g_lpStray = 'a';       // Faults; retried after each commit the filter makes
    }
    else if (scenario == SCENARIO_DECOMMIT)
    {
        _tprintf(TEXT("Decommitting page 0, then writing to it again.\n"));
        if (!VirtualFree(lpBase, SystemPageSize(), MEM_DECOMMIT))
        {
            _tprintf(TEXT("Error! VirtualFree(MEM_DECOMMIT) failed with error code of %lu.\n"), GetLastError());
            fflush(stdout);
            exit(EXIT_SETUP_FAILED);
        }
    }
}

// See demo.h.
void ScenarioAfterLoop(SCENARIO scenario, LPBYTE lpBase, DWORD dwRegionPages)
{
    DWORD dwPage = ReadOnlyPage(dwRegionPages);
    MEMORY_BASIC_INFORMATION mbi;

    if (scenario != SCENARIO_READ_ONLY)
        return;
    if (VirtualQuery(lpBase + (SIZE_T)dwPage * SystemPageSize(), &mbi, sizeof mbi) == 0)
        ErrorExit(TEXT("VirtualQuery failed"));
    _tprintf(TEXT("Page %lu is now %s (it was PAGE_READONLY).\n"), dwPage, ProtectName(mbi.Protect));
}

// --order's state: the pages in loop order are page(k) = (k * g_dwStep +
// g_dwStart) mod g_dwPages for random (a step coprime with the page count
// visits each page once), g_dwPages - 1 - k for reverse.
static ORDER g_order;
static DWORD g_dwPages;
static DWORD g_dwPageSize;
static DWORD g_dwStep;
static DWORD g_dwStart;

// Greatest common divisor.
static DWORD Gcd(DWORD a, DWORD b)
{
    while (b != 0)
    {
        DWORD t = a % b;
        a = b;
        b = t;
    }
    return a;
}

// See demo.h.
void OrderStart(ORDER order, DWORD dwTouchPages, DWORD dwPageSize)
{
    g_order = order;
    g_dwPages = dwTouchPages;
    g_dwPageSize = dwPageSize;
    // A fixed scramble, the same in every run: a step near 0.618 of the
    // count, made coprime with it, and a start a third of the way in.
    g_dwStep = (dwTouchPages / 1000 * 618 + dwTouchPages % 1000 * 618 / 1000) | 1;
    while (Gcd(g_dwStep, dwTouchPages) != 1)
        g_dwStep += 2;
    g_dwStart = dwTouchPages / 3;
}

// a * b mod n for a, b < n <= MAX_PAGES (2^20), in DWORDs only: 32-bit
// MSVC-mode builds would call __aulldiv for a 64-bit division, which the
// MinGW runtime they link with does not have.
static DWORD MulMod(DWORD a, DWORD b, DWORD n)
{
    DWORD dwHigh = (a * (b >> 10)) % n;     // Each product below 2^30

    return (dwHigh * 1024 % n + a * (b & 1023)) % n;
}

// See demo.h.
SIZE_T OrderedByte(SIZE_T i)
{
    DWORD k = (DWORD)(i / g_dwPageSize);
    DWORD dwPage = k;

    if (g_order == ORDER_REVERSE)
        dwPage = g_dwPages - 1 - k;
    else if (g_order == ORDER_RANDOM)
        dwPage = (MulMod(k, g_dwStep, g_dwPages) + g_dwStart) % g_dwPages;
    return (SIZE_T)dwPage * g_dwPageSize + i % g_dwPageSize;
}
