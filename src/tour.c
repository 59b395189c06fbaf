// tour.c - --tour: each rule of VirtualAlloc and VirtualFree that the demo
// relies on, shown on the running system: the rule, the calls, what was
// observed, and the verdict. Nothing is assumed: a rule the system does not
// obey is reported, and the tour exits 8. Works on regions of its own only.

#include "demo.h"

static DWORD g_dwRulesBroken = 0;  // Rules not as documented so far

// Prints the heading of rule nRule.
static void TourRule(int nRule, LPCTSTR lpRule)
{
    _tprintf(TEXT("\nRule %d: %s\n"), nRule, lpRule);
}

// Prints the verdict of a rule and counts a broken one.
static void TourVerdict(BOOL bAsDocumented)
{
    if (!bAsDocumented)
        g_dwRulesBroken++;
    _fputts(bAsDocumented ? TEXT("  => as documented\n") : TEXT("  => NOT as documented\n"), stdout);
}

// The state of the pages at lpAddress, in one line; *pmbi receives it
// (zeroed if VirtualQuery fails).
static void TourQuery(LPCTSTR lpLabel, LPVOID lpAddress, MEMORY_BASIC_INFORMATION *pmbi)
{
    ZeroMemory(pmbi, sizeof *pmbi);
    if (VirtualQuery(lpAddress, pmbi, sizeof *pmbi) == 0)
    {
        _tprintf(TEXT("  %s VirtualQuery(%p) failed with error code of %lu\n"), lpLabel, lpAddress, GetLastError());
        return;
    }
    _tprintf(TEXT("  %s VirtualQuery(%p): base %p, %lu bytes, %s, %s\n"), lpLabel, lpAddress,
             pmbi->BaseAddress, (DWORD)pmbi->RegionSize, StateName(pmbi->State), ProtectName(pmbi->Protect));
}

// Returns the start of an address range of cb bytes that is free right now,
// aligned to the allocation granularity: reserves it, notes where, releases it.
static LPBYTE FindFreeRange(SIZE_T cb)
{
    LPVOID lpv = VirtualAlloc(NULL, cb, MEM_RESERVE, PAGE_NOACCESS);

    if (lpv == NULL)
        ErrorExit(TEXT("VirtualAlloc reserve failed"));
    VirtualFree(lpv, 0, MEM_RELEASE);
    return (LPBYTE)lpv;
}

// See demo.h.
int RunTour(void)
{
    SYSTEM_INFO si;
    MEMORY_BASIC_INFORMATION mbi, mbi2;
    LPBYTE lpFree, lpWanted, lpBase, lpGot, lpLow, lpHigh;
    SIZE_T cbAsked, j;
    DWORD dwErr, dwErr2, dwGran, dwNonZero;
    BOOL bOk, bOk2;
    BYTE b;
    DWORD dwPageSize;
    FAULT_LOG log;

    GetSystemInfo(&si);
    dwPageSize = si.dwPageSize;
    dwGran = si.dwAllocationGranularity;
    _tprintf(TEXT("A tour of the rules behind the demo. Page size %lu bytes, allocation granularity %lu bytes.\n"),
             dwPageSize, dwGran);

    // 1. Reservations start on the allocation granularity.
    TourRule(1, TEXT("A reservation at a requested address starts at that address rounded down to the allocation granularity."));
    lpFree = FindFreeRange(4 * (SIZE_T)dwGran);
    lpWanted = lpFree + dwGran + 3 * (SIZE_T)dwPageSize + 123;
    lpGot = (LPBYTE)VirtualAlloc(lpWanted, dwPageSize, MEM_RESERVE, PAGE_NOACCESS);
    dwErr = GetLastError();
    _tprintf(TEXT("  VirtualAlloc(%p, %lu, MEM_RESERVE, PAGE_NOACCESS) returned %p\n"), (LPVOID)lpWanted, dwPageSize, (LPVOID)lpGot);
    if (lpGot == NULL)
        _tprintf(TEXT("  error code %lu\n"), dwErr);
    TourQuery(TEXT("then"), lpWanted, &mbi);
    _tprintf(TEXT("  expected base %p (%p rounded down to %lu)\n"), (LPVOID)(lpFree + dwGran), (LPVOID)lpWanted, dwGran);
    TourVerdict(lpGot == lpFree + dwGran && mbi.AllocationBase == (LPVOID)(lpFree + dwGran));
    if (lpGot != NULL)
        VirtualFree(lpGot, 0, MEM_RELEASE);

    // 2. Sizes are whole pages.
    TourRule(2, TEXT("A reservation's size is rounded up to whole pages."));
    cbAsked = 5 * (SIZE_T)dwPageSize + 100;
    lpBase = (LPBYTE)VirtualAlloc(NULL, cbAsked, MEM_RESERVE, PAGE_NOACCESS);
    if (lpBase == NULL)
        ErrorExit(TEXT("VirtualAlloc reserve failed"));
    _tprintf(TEXT("  VirtualAlloc(NULL, %lu, MEM_RESERVE, PAGE_NOACCESS) returned %p\n"), (DWORD)cbAsked, (LPVOID)lpBase);
    TourQuery(TEXT("then"), lpBase, &mbi);
    _tprintf(TEXT("  expected %lu bytes (6 pages)\n"), 6 * dwPageSize);
    TourVerdict(mbi.State == MEM_RESERVE && mbi.RegionSize == 6 * (SIZE_T)dwPageSize);
    VirtualFree(lpBase, 0, MEM_RELEASE);

    // 3. A commit covers every page its range touches.
    TourRule(3, TEXT("Committing 6 KiB starting 2 KiB into a reserved region commits the two whole pages that range touches."));
    lpBase = (LPBYTE)VirtualAlloc(NULL, 512 * 1024, MEM_RESERVE, PAGE_NOACCESS);
    if (lpBase == NULL)
        ErrorExit(TEXT("VirtualAlloc reserve failed"));
    _tprintf(TEXT("  VirtualAlloc(NULL, 524288, MEM_RESERVE, PAGE_NOACCESS) returned %p\n"), (LPVOID)lpBase);
    lpGot = (LPBYTE)VirtualAlloc(lpBase + 2048, 6 * 1024, MEM_COMMIT, PAGE_READWRITE);
    _tprintf(TEXT("  VirtualAlloc(%p, 6144, MEM_COMMIT, PAGE_READWRITE) returned %p\n"), (LPVOID)(lpBase + 2048), (LPVOID)lpGot);
    TourQuery(TEXT("then"), lpBase, &mbi);
    TourQuery(TEXT("and "), lpBase + 8192, &mbi2);
    _tprintf(TEXT("  expected 8192 bytes MEM_COMMIT PAGE_READWRITE from the base, then MEM_RESERVE\n"));
    TourVerdict(lpGot != NULL && mbi.BaseAddress == (LPVOID)lpBase && mbi.RegionSize == 8192 && mbi.State == MEM_COMMIT
                && mbi.Protect == PAGE_READWRITE && mbi2.State == MEM_RESERVE);

    // 4. Fresh committed pages are zero.
    TourRule(4, TEXT("Committed memory reads as zero before it is written."));
    dwNonZero = 0;
    for (j = 0; j < 8192 && lpGot != NULL; j++)
        if (lpBase[j] != 0)
            dwNonZero++;
    _tprintf(TEXT("  read the 8192 committed bytes: %lu are not zero\n"), dwNonZero);
    TourVerdict(lpGot != NULL && dwNonZero == 0);

    // 5. Reserved but uncommitted memory faults.
    TourRule(5, TEXT("Touching reserved but uncommitted memory raises an access violation."));
    ZeroMemory(&log, sizeof log);
    b = GuardedAccess(lpBase + 8192 + 16, FALSE, 0, &log);
    _tprintf(TEXT("  read the byte at %p (reserved, not committed)\n"), (LPVOID)(lpBase + 8192 + 16));
    _tprintf(TEXT("  exceptions: %lu, code 0x%08lX, at %p (%s); the filter committed the page and the read gave %u\n"),
             log.dwFaults, log.dwLastCode, log.lpLastFault, log.bLastFaultWrite ? TEXT("write") : TEXT("read"), (unsigned)b);
    TourVerdict(log.dwFaults == 1 && log.dwLastCode == EXCEPTION_ACCESS_VIOLATION
                && log.lpLastFault == (LPVOID)(lpBase + 8192 + 16) && !log.bLastFaultWrite);

    // 6. Commit needs a reservation.
    TourRule(6, TEXT("Committing where nothing is reserved fails."));
    lpFree = FindFreeRange(dwGran);
    SetLastError(0);
    lpGot = (LPBYTE)VirtualAlloc(lpFree, dwPageSize, MEM_COMMIT, PAGE_READWRITE);
    dwErr = GetLastError();
    _tprintf(TEXT("  VirtualAlloc(%p, %lu, MEM_COMMIT, PAGE_READWRITE) on free memory returned %p, error code %lu\n"),
             (LPVOID)lpFree, dwPageSize, (LPVOID)lpGot, dwErr);
    _tprintf(TEXT("  expected NULL and error code %lu (ERROR_INVALID_ADDRESS)\n"), (DWORD)ERROR_INVALID_ADDRESS);
    TourVerdict(lpGot == NULL && dwErr == ERROR_INVALID_ADDRESS);
    if (lpGot != NULL)
        VirtualFree(lpGot, 0, MEM_RELEASE);

    // 7. MEM_RELEASE takes the base address and size 0.
    TourRule(7, TEXT("VirtualFree with MEM_RELEASE needs the region's base address and size 0."));
    SetLastError(0);
    bOk = VirtualFree(lpBase, 512 * 1024, MEM_RELEASE);
    dwErr = GetLastError();
    _tprintf(TEXT("  VirtualFree(%p, 524288, MEM_RELEASE) returned %d, error code %lu\n"), (LPVOID)lpBase, bOk, dwErr);
    SetLastError(0);
    bOk2 = VirtualFree(lpBase + dwPageSize, 0, MEM_RELEASE);
    dwErr2 = GetLastError();
    _tprintf(TEXT("  VirtualFree(%p, 0, MEM_RELEASE) returned %d, error code %lu\n"), (LPVOID)(lpBase + dwPageSize), bOk2, dwErr2);
    TourQuery(TEXT("then"), lpBase, &mbi);
    _tprintf(TEXT("  expected both to fail (%lu ERROR_INVALID_PARAMETER, %lu ERROR_INVALID_ADDRESS) and the region to stay\n"),
             (DWORD)ERROR_INVALID_PARAMETER, (DWORD)ERROR_INVALID_ADDRESS);
    bOk = !bOk && dwErr == ERROR_INVALID_PARAMETER && !bOk2 && dwErr2 == ERROR_INVALID_ADDRESS
          && mbi.AllocationBase == (LPVOID)lpBase && mbi.State != MEM_FREE;
    bOk2 = VirtualFree(lpBase, 0, MEM_RELEASE);
    _tprintf(TEXT("  VirtualFree(%p, 0, MEM_RELEASE) returned %d\n"), (LPVOID)lpBase, bOk2);
    TourQuery(TEXT("then"), lpBase, &mbi);
    TourVerdict(bOk && bOk2 && mbi.State == MEM_FREE);

    // 8. Decommit works on whole pages.
    TourRule(8, TEXT("MEM_DECOMMIT works on whole pages: a range inside one page decommits that page, one across a boundary both."));
    lpBase = (LPBYTE)VirtualAlloc(NULL, 4 * (SIZE_T)dwPageSize, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (lpBase == NULL)
        ErrorExit(TEXT("VirtualAlloc reserve and commit failed"));
    _tprintf(TEXT("  VirtualAlloc(NULL, %lu, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE) returned %p\n"),
             4 * dwPageSize, (LPVOID)lpBase);
    bOk = VirtualFree(lpBase + dwPageSize + dwPageSize / 2, 1, MEM_DECOMMIT);
    _tprintf(TEXT("  VirtualFree(%p, 1, MEM_DECOMMIT) returned %d\n"), (LPVOID)(lpBase + dwPageSize + dwPageSize / 2), bOk);
    TourQuery(TEXT("page 0:"), lpBase, &mbi);
    TourQuery(TEXT("page 1:"), lpBase + dwPageSize, &mbi2);
    bOk = bOk && mbi.State == MEM_COMMIT && mbi.RegionSize == dwPageSize
          && mbi2.State == MEM_RESERVE && mbi2.RegionSize == dwPageSize;
    bOk2 = VirtualFree(lpBase + 3 * (SIZE_T)dwPageSize - 10, 20, MEM_DECOMMIT);
    _tprintf(TEXT("  VirtualFree(%p, 20, MEM_DECOMMIT) returned %d\n"), (LPVOID)(lpBase + 3 * (SIZE_T)dwPageSize - 10), bOk2);
    TourQuery(TEXT("page 1:"), lpBase + dwPageSize, &mbi2);
    _tprintf(TEXT("  expected page 0 committed, pages 1 to 3 reserved\n"));
    TourVerdict(bOk && bOk2 && mbi2.State == MEM_RESERVE && mbi2.RegionSize == 3 * (SIZE_T)dwPageSize);
    VirtualFree(lpBase, 0, MEM_RELEASE);

    // 9. MEM_TOP_DOWN reserves from the top.
    TourRule(9, TEXT("MEM_TOP_DOWN places a reservation above one made without it."));
    lpLow = (LPBYTE)VirtualAlloc(NULL, dwGran, MEM_RESERVE, PAGE_NOACCESS);
    lpHigh = (LPBYTE)VirtualAlloc(NULL, dwGran, MEM_RESERVE | MEM_TOP_DOWN, PAGE_NOACCESS);
    _tprintf(TEXT("  VirtualAlloc(NULL, %lu, MEM_RESERVE, ...) returned %p\n"), dwGran, (LPVOID)lpLow);
    _tprintf(TEXT("  VirtualAlloc(NULL, %lu, MEM_RESERVE | MEM_TOP_DOWN, ...) returned %p\n"), dwGran, (LPVOID)lpHigh);
    TourVerdict(lpLow != NULL && lpHigh != NULL && lpHigh > lpLow);
    if (lpLow != NULL)
        VirtualFree(lpLow, 0, MEM_RELEASE);
    if (lpHigh != NULL)
        VirtualFree(lpHigh, 0, MEM_RELEASE);

    _tprintf(TEXT("\n%lu of 9 rules as documented.\n"), 9 - g_dwRulesBroken);
    return g_dwRulesBroken == 0 ? EXIT_OK : EXIT_TOUR_FAILED;
}
