// tour.c - --tour: each rule of VirtualAlloc and VirtualFree that the demo
// relies on, shown on the running system: the rule, the calls, what was
// observed, a line on any value that could surprise, and the verdict.
// Nothing is assumed: a rule the system does not obey is reported, and the
// tour exits 8. Each rule works on a region of its own and releases it, so
// its numbers are the ones its text explains. Every line fits 80 columns
// with 64-bit addresses.

#include "demo.h"

// What every rule needs to know about the system.
typedef struct
{
    DWORD dwPageSize;
    DWORD dwGran;               // Allocation granularity
} TOUR;

// The state of the pages at lpAddress, in two lines; *pmbi receives it
// (zeroed if VirtualQuery fails).
static void TourQuery(LPVOID lpAddress, MEMORY_BASIC_INFORMATION *pmbi)
{
    ZeroMemory(pmbi, sizeof *pmbi);
    if (VirtualQuery(lpAddress, pmbi, sizeof *pmbi) == 0)
    {
        _tprintf(TEXT("  VirtualQuery(%p) failed with error code of %lu\n"), lpAddress, GetLastError());
        return;
    }
    _tprintf(TEXT("  VirtualQuery(%p) says:\n"), lpAddress);
    if (pmbi->State == MEM_FREE)        // Its size is the free gap, of no interest
        _tprintf(TEXT("    BaseAddress %p, MEM_FREE\n"), pmbi->BaseAddress);
    else if (pmbi->State == MEM_RESERVE) // Protect is undefined for reserved pages
        _tprintf(TEXT("    BaseAddress %p, RegionSize %lu, MEM_RESERVE\n"), pmbi->BaseAddress,
                 (DWORD)pmbi->RegionSize);
    else
        _tprintf(TEXT("    BaseAddress %p, RegionSize %lu, %s, %s\n"), pmbi->BaseAddress,
             (DWORD)pmbi->RegionSize, StateName(pmbi->State), ProtectName(pmbi->Protect));
}

// Reserves cb bytes with flAllocate (MEM_RESERVE, with or without
// MEM_COMMIT) and says so; ends the process, exit code 1, if that fails.
static LPBYTE TourReserve(SIZE_T cb, DWORD flAllocate, DWORD flProtect, LPCTSTR lpCall)
{
    LPBYTE lpBase = (LPBYTE)VirtualAlloc(NULL, cb, flAllocate, flProtect);

    if (lpBase == NULL)
        ErrorExit(TEXT("VirtualAlloc reserve failed"));
    _tprintf(TEXT("  VirtualAlloc(NULL, %lu, %s)\n    returned %p\n"), (DWORD)cb, lpCall, (LPVOID)lpBase);
    return lpBase;
}

// Releases a rule's region, so that nothing is left for the next rule.
// Returns TRUE if the base address is free afterwards.
static BOOL TourRelease(LPVOID lpBase)
{
    MEMORY_BASIC_INFORMATION mbi;

    if (!VirtualFree(lpBase, 0, MEM_RELEASE))
        _tprintf(TEXT("  VirtualFree(%p, 0, MEM_RELEASE) failed with error code of %lu\n"), lpBase, GetLastError());
    if (VirtualQuery(lpBase, &mbi, sizeof mbi) != 0 && mbi.State == MEM_FREE)
        return TRUE;
    // The failing part, named: else a rule whose own numbers hold says only "NOT as documented".
    _tprintf(TEXT("  release check failed: after MEM_RELEASE, %p is not MEM_FREE\n"), lpBase);
    return FALSE;
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

// Rule 1: reservations start on the allocation granularity.
static BOOL Rule1(const TOUR *pt)
{
    MEMORY_BASIC_INFORMATION mbi;
    LPBYTE lpFree = FindFreeRange(4 * (SIZE_T)pt->dwGran);
    LPBYTE lpWanted = lpFree + pt->dwGran + 3 * (SIZE_T)pt->dwPageSize + 123;
    LPBYTE lpExpected = lpFree + pt->dwGran;
    LPBYTE lpGot = (LPBYTE)VirtualAlloc(lpWanted, pt->dwPageSize, MEM_RESERVE, PAGE_NOACCESS);
    DWORD dwErr = GetLastError();
    BOOL bOk;

    _tprintf(TEXT("  VirtualAlloc(%p, %lu, MEM_RESERVE, PAGE_NOACCESS)\n    returned %p\n"),
             (LPVOID)lpWanted, pt->dwPageSize, (LPVOID)lpGot);
    if (lpGot == NULL)
    {
        _tprintf(TEXT("  error code %lu\n"), dwErr);
        return FALSE;
    }
    ZeroMemory(&mbi, sizeof mbi);
    VirtualQuery(lpWanted, &mbi, sizeof mbi);
    _tprintf(TEXT("  VirtualQuery(%p): AllocationBase %p\n"), (LPVOID)lpWanted, mbi.AllocationBase);
    _tprintf(TEXT("  expected base    %p: the address rounded down to %lu\n"), (LPVOID)lpExpected, pt->dwGran);
    bOk = lpGot == lpExpected && mbi.AllocationBase == (LPVOID)lpExpected;
    VirtualQuery(lpExpected, &mbi, sizeof mbi);
    _tprintf(TEXT("  the region runs from that base for %lu bytes (%lu pages): to the end\n"),
             (DWORD)mbi.RegionSize, (DWORD)(mbi.RegionSize / pt->dwPageSize));
    _tprintf(TEXT("  of the %lu bytes asked for, which start 123 bytes into page 3 and so\n"), pt->dwPageSize);
    _tprintf(TEXT("  reach into page 4: an unaligned request of one page covers two pages\n"));
    return TourRelease(lpGot) && bOk && mbi.RegionSize == 5 * (SIZE_T)pt->dwPageSize;
}

// Rule 2: sizes are whole pages.
static BOOL Rule2(const TOUR *pt)
{
    MEMORY_BASIC_INFORMATION mbi;
    SIZE_T cbAsked = 5 * (SIZE_T)pt->dwPageSize + 100;
    LPBYTE lpBase = TourReserve(cbAsked, MEM_RESERVE, PAGE_NOACCESS, TEXT("MEM_RESERVE, PAGE_NOACCESS"));

    TourQuery(lpBase, &mbi);
    _tprintf(TEXT("  %lu bytes is 5 pages and 100 bytes, so expected %lu bytes (6 pages)\n"),
             (DWORD)cbAsked, 6 * pt->dwPageSize);
    return mbi.State == MEM_RESERVE && mbi.RegionSize == 6 * (SIZE_T)pt->dwPageSize && TourRelease(lpBase);
}

// Rule 3: a commit covers every page its range touches.
static BOOL Rule3(const TOUR *pt)
{
    MEMORY_BASIC_INFORMATION mbi, mbi2;
    LPBYTE lpBase = TourReserve(pt->dwGran, MEM_RESERVE, PAGE_NOACCESS, TEXT("MEM_RESERVE, PAGE_NOACCESS"));
    LPBYTE lpGot = (LPBYTE)VirtualAlloc(lpBase + 2048, 6 * 1024, MEM_COMMIT, PAGE_READWRITE);

    _tprintf(TEXT("  VirtualAlloc(%p, 6144, MEM_COMMIT, PAGE_READWRITE)\n    returned %p\n"),
             (LPVOID)(lpBase + 2048), (LPVOID)lpGot);
    TourQuery(lpBase, &mbi);
    TourQuery(lpBase + 8192, &mbi2);
    _tprintf(TEXT("  (the %lu bytes after them are the rest of the %lu reserved)\n"),
             (DWORD)mbi2.RegionSize, pt->dwGran);
    _tprintf(TEXT("  bytes 2048 to 8191 touch pages 0 and 1, so expected 8192 bytes\n"));
    _tprintf(TEXT("  MEM_COMMIT PAGE_READWRITE from the base, then MEM_RESERVE\n"));
    return lpGot != NULL && mbi.BaseAddress == (LPVOID)lpBase && mbi.RegionSize == 8192 && mbi.State == MEM_COMMIT
           && mbi.Protect == PAGE_READWRITE && mbi2.State == MEM_RESERVE && TourRelease(lpBase);
}

// Rule 4: fresh committed pages are zero.
static BOOL Rule4(const TOUR *pt)
{
    LPBYTE lpBase = TourReserve(2 * (SIZE_T)pt->dwPageSize, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE,
                                TEXT("MEM_RESERVE | MEM_COMMIT,\n    PAGE_READWRITE"));
    DWORD dwNonZero = 0;
    SIZE_T j;

    for (j = 0; j < 2 * (SIZE_T)pt->dwPageSize; j++)
        if (lpBase[j] != 0)
            dwNonZero++;
    _tprintf(TEXT("  read the %lu committed bytes: %lu are not zero\n"), 2 * pt->dwPageSize, dwNonZero);
    return dwNonZero == 0 && TourRelease(lpBase);
}

// Rule 5: reserved but uncommitted memory faults.
static BOOL Rule5(const TOUR *pt)
{
    LPBYTE lpBase = TourReserve(4 * (SIZE_T)pt->dwPageSize, MEM_RESERVE, PAGE_NOACCESS,
                                TEXT("MEM_RESERVE, PAGE_NOACCESS"));
    LPBYTE lpByte = lpBase + pt->dwPageSize + 16;
    FAULT_LOG log;
    BYTE b;

    ZeroMemory(&log, sizeof log);
    b = GuardedAccess(lpByte, FALSE, 0, &log);
    _tprintf(TEXT("  read the byte at %p (reserved, not committed)\n"), (LPVOID)lpByte);
    _tprintf(TEXT("  exceptions: %lu, code 0x%08lX (EXCEPTION_ACCESS_VIOLATION)\n"), log.dwFaults, log.dwLastCode);
    _tprintf(TEXT("  at %p, a %s\n"), log.lpLastFault, log.bLastFaultWrite ? TEXT("write") : TEXT("read"));
    _tprintf(TEXT("  the filter committed the page, the read was retried and gave %u\n"), (unsigned)b);
    return log.dwFaults == 1 && log.dwLastCode == EXCEPTION_ACCESS_VIOLATION && log.lpLastFault == (LPVOID)lpByte
           && !log.bLastFaultWrite && b == 0 && TourRelease(lpBase);
}

// Rule 6: a commit needs a reservation.
static BOOL Rule6(const TOUR *pt)
{
    LPBYTE lpFree = FindFreeRange(pt->dwGran);
    LPBYTE lpGot;
    DWORD dwErr;

    SetLastError(0);
    lpGot = (LPBYTE)VirtualAlloc(lpFree, pt->dwPageSize, MEM_COMMIT, PAGE_READWRITE);
    dwErr = GetLastError();
    _tprintf(TEXT("  VirtualAlloc(%p, %lu, MEM_COMMIT, PAGE_READWRITE)\n"), (LPVOID)lpFree, pt->dwPageSize);
    _tprintf(TEXT("    on free memory returned %p, error code %lu\n"), (LPVOID)lpGot, dwErr);
    _tprintf(TEXT("  expected NULL and error code %lu (ERROR_INVALID_ADDRESS)\n"), (DWORD)ERROR_INVALID_ADDRESS);
    _tprintf(TEXT("  (with lpAddress NULL instead, MEM_COMMIT succeeds: the system then\n"));
    _tprintf(TEXT("  reserves and commits at once, at an address it picks)\n"));
    if (lpGot != NULL)
        VirtualFree(lpGot, 0, MEM_RELEASE);
    return lpGot == NULL && dwErr == ERROR_INVALID_ADDRESS;
}

// Rule 7: MEM_RELEASE takes the base address and size 0.
static BOOL Rule7(const TOUR *pt)
{
    MEMORY_BASIC_INFORMATION mbi;
    LPBYTE lpBase = TourReserve(pt->dwGran, MEM_RESERVE, PAGE_NOACCESS, TEXT("MEM_RESERVE, PAGE_NOACCESS"));
    BOOL bOk, bOk2, bStayed, bFreed;
    DWORD dwErr, dwErr2;

    SetLastError(0);
    bOk = VirtualFree(lpBase, pt->dwGran, MEM_RELEASE);
    dwErr = GetLastError();
    _tprintf(TEXT("  VirtualFree(%p, %lu, MEM_RELEASE)\n    returned %d, error code %lu\n"),
             (LPVOID)lpBase, pt->dwGran, bOk, dwErr);
    SetLastError(0);
    bOk2 = VirtualFree(lpBase + pt->dwPageSize, 0, MEM_RELEASE);
    dwErr2 = GetLastError();
    _tprintf(TEXT("  VirtualFree(%p, 0, MEM_RELEASE)\n    returned %d, error code %lu\n"),
             (LPVOID)(lpBase + pt->dwPageSize), bOk2, dwErr2);
    TourQuery(lpBase, &mbi);
    _tprintf(TEXT("  expected both to fail, %lu ERROR_INVALID_PARAMETER and\n"), (DWORD)ERROR_INVALID_PARAMETER);
    _tprintf(TEXT("  %lu ERROR_INVALID_ADDRESS, and the region to stay\n"), (DWORD)ERROR_INVALID_ADDRESS);
    bStayed = !bOk && dwErr == ERROR_INVALID_PARAMETER && !bOk2 && dwErr2 == ERROR_INVALID_ADDRESS
              && mbi.AllocationBase == (LPVOID)lpBase && mbi.State != MEM_FREE;
    bOk = VirtualFree(lpBase, 0, MEM_RELEASE);
    _tprintf(TEXT("  VirtualFree(%p, 0, MEM_RELEASE) returned %d\n"), (LPVOID)lpBase, bOk);
    TourQuery(lpBase, &mbi);
    bFreed = bOk && mbi.State == MEM_FREE;
    return bStayed && bFreed;
}

// Rule 8: decommit works on whole pages.
static BOOL Rule8(const TOUR *pt)
{
    MEMORY_BASIC_INFORMATION mbi, mbi2;
    SIZE_T cbPage = pt->dwPageSize;
    LPBYTE lpBase = TourReserve(4 * cbPage, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE,
                                TEXT("MEM_RESERVE | MEM_COMMIT,\n    PAGE_READWRITE"));
    BOOL bOk, bOk2;

    bOk = VirtualFree(lpBase + cbPage + cbPage / 2, 1, MEM_DECOMMIT);
    _tprintf(TEXT("  VirtualFree(%p, 1, MEM_DECOMMIT) returned %d\n"), (LPVOID)(lpBase + cbPage + cbPage / 2), bOk);
    TourQuery(lpBase, &mbi);
    TourQuery(lpBase + cbPage, &mbi2);
    bOk = bOk && mbi.State == MEM_COMMIT && mbi.RegionSize == cbPage && mbi2.State == MEM_RESERVE
          && mbi2.RegionSize == cbPage;
    bOk2 = VirtualFree(lpBase + 3 * cbPage - 10, 20, MEM_DECOMMIT);
    _tprintf(TEXT("  VirtualFree(%p, 20, MEM_DECOMMIT) returned %d\n"), (LPVOID)(lpBase + 3 * cbPage - 10), bOk2);
    _tprintf(TEXT("  (those 20 bytes straddle the border of pages 2 and 3)\n"));
    TourQuery(lpBase + cbPage, &mbi2);
    _tprintf(TEXT("  expected page 0 committed, pages 1 to 3 reserved\n"));
    return bOk && bOk2 && mbi2.State == MEM_RESERVE && mbi2.RegionSize == 3 * cbPage && TourRelease(lpBase);
}

// Rule 9: MEM_TOP_DOWN reserves from the top.
static BOOL Rule9(const TOUR *pt)
{
    LPBYTE lpLow = (LPBYTE)VirtualAlloc(NULL, pt->dwGran, MEM_RESERVE, PAGE_NOACCESS);
    LPBYTE lpHigh = (LPBYTE)VirtualAlloc(NULL, pt->dwGran, MEM_RESERVE | MEM_TOP_DOWN, PAGE_NOACCESS);
    BOOL bOk = lpLow != NULL && lpHigh != NULL && lpHigh > lpLow;

    _tprintf(TEXT("  VirtualAlloc(NULL, %lu, MEM_RESERVE, ...) returned\n    %p\n"), pt->dwGran, (LPVOID)lpLow);
    _tprintf(TEXT("  VirtualAlloc(NULL, %lu, MEM_RESERVE | MEM_TOP_DOWN, ...) returned\n    %p\n"),
             pt->dwGran, (LPVOID)lpHigh);
    _tprintf(TEXT("  (MEM_TOP_DOWN allocates \"at the highest possible address\"; without\n"));
    _tprintf(TEXT("  it the system picks the address: Windows randomises it (ASLR), Wine\n"));
    _tprintf(TEXT("  takes the lowest free range; so the second address is above the first)\n"));
    if (lpLow != NULL)
        bOk &= TourRelease(lpLow);
    if (lpHigh != NULL)
        bOk &= TourRelease(lpHigh);
    return bOk;
}

// Rule 10: a guard page raises one exception, then is an ordinary page.
static BOOL Rule10(const TOUR *pt)
{
    MEMORY_BASIC_INFORMATION mbi, mbi2;
    LPBYTE lpBase = TourReserve(pt->dwPageSize, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD,
                                TEXT("MEM_RESERVE | MEM_COMMIT,\n    PAGE_READWRITE | PAGE_GUARD"));
    FAULT_LOG log;
    DWORD dwFirstCode;
    BYTE b;

    ZeroMemory(&mbi, sizeof mbi);
    ZeroMemory(&mbi2, sizeof mbi2);
    VirtualQuery(lpBase, &mbi, sizeof mbi);
    _tprintf(TEXT("  protection 0x%03lX (PAGE_READWRITE 0x4 | PAGE_GUARD 0x100)\n"), mbi.Protect);
    ZeroMemory(&log, sizeof log);
    b = GuardedAccess(lpBase, FALSE, 0, &log);
    dwFirstCode = log.dwLastCode;
    _tprintf(TEXT("  first read: %lu exception, code 0x%08lX (STATUS_GUARD_PAGE_VIOLATION),\n"),
             log.dwGuardHits, dwFirstCode);
    _tprintf(TEXT("  which is not an access violation; the filter retried, the read gave %u\n"), (unsigned)b);
    VirtualQuery(lpBase, &mbi2, sizeof mbi2);
    _tprintf(TEXT("  protection now 0x%03lX (PAGE_READWRITE): the system cleared the guard\n"), mbi2.Protect);
    GuardedAccess(lpBase, TRUE, 'a', &log);
    b = GuardedAccess(lpBase, FALSE, 0, &log);
    _tprintf(TEXT("  then a write and a read ('%c'): exceptions in all: %lu\n"), b, log.dwGuardHits + log.dwFaults);
    _tprintf(TEXT("  Windows grows a thread's stack with a guard page too: the stack is a\n"));
    _tprintf(TEXT("  reserved region, committed pages at its top and a guard page below\n"));
    _tprintf(TEXT("  them. A touch of that guard page is handled by the system itself: it\n"));
    _tprintf(TEXT("  commits the next page down as the new guard page, and no exception\n"));
    _tprintf(TEXT("  reaches the program: the demo's reserve-and-commit, done by the system.\n"));
    _tprintf(TEXT("  (Wine 8 commits the whole stack of a thread, so this rule makes a guard\n"));
    _tprintf(TEXT("  page of its own.)\n"));
    return mbi.Protect == (PAGE_READWRITE | PAGE_GUARD) && dwFirstCode == STATUS_GUARD_PAGE_VIOLATION
           && log.dwGuardHits == 1 && log.dwFaults == 0 && mbi2.Protect == PAGE_READWRITE && b == 'a'
           && TourRelease(lpBase);
}

// --step: what each rule is about to call, shown before it runs, so that
// a person can predict the results before they appear.
static const LPCTSTR g_calls[TOUR_RULES] = {
    TEXT("VirtualAlloc(one granularity unit + 3 pages + 123 bytes into a free\n")
    TEXT("  range, 1 page, MEM_RESERVE); then VirtualQuery of that address."),
    TEXT("VirtualAlloc(NULL, 5 pages + 100 bytes, MEM_RESERVE); VirtualQuery."),
    TEXT("VirtualAlloc(NULL, 64 KiB, MEM_RESERVE); VirtualAlloc(base + 2048,\n")
    TEXT("  6144, MEM_COMMIT); VirtualQuery of the base and of base + 8192."),
    TEXT("VirtualAlloc(NULL, 2 pages, MEM_RESERVE | MEM_COMMIT), then read them."),
    TEXT("VirtualAlloc(NULL, 4 pages, MEM_RESERVE); read one byte of page 1\n")
    TEXT("  under the labs' filter (it commits the page and retries)."),
    TEXT("VirtualAlloc(a free address, 1 page, MEM_COMMIT), nothing reserved."),
    TEXT("VirtualAlloc(NULL, 64 KiB, MEM_RESERVE); VirtualFree(base, 64 KiB,\n")
    TEXT("  MEM_RELEASE); VirtualFree(base + 1 page, 0, MEM_RELEASE); then\n")
    TEXT("  VirtualFree(base, 0, MEM_RELEASE)."),
    TEXT("VirtualAlloc(NULL, 4 pages, MEM_RESERVE | MEM_COMMIT); VirtualFree\n")
    TEXT("  (1 byte in the middle of page 1, MEM_DECOMMIT); VirtualFree(20 bytes\n")
    TEXT("  across the border of pages 2 and 3, MEM_DECOMMIT)."),
    TEXT("VirtualAlloc(NULL, 64 KiB, MEM_RESERVE), then the same with\n")
    TEXT("  MEM_RESERVE | MEM_TOP_DOWN."),
    TEXT("VirtualAlloc(NULL, 1 page, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE |\n")
    TEXT("  PAGE_GUARD); read it under the labs' filter, then write and read it."),
};

// The rules, in order: the heading (continued lines indented under its
// text) and the function that shows it and returns the verdict.
static const struct
{
    LPCTSTR lpText;
    BOOL (*pfnShow)(const TOUR *pt);
} g_rules[TOUR_RULES] = {
    { TEXT("A reservation at a requested address starts at that address\n")
      TEXT("        rounded down to the allocation granularity."), Rule1 },
    { TEXT("A reservation's size is rounded up to whole pages."), Rule2 },
    { TEXT("Committing 6 KiB starting 2 KiB into a reserved region commits\n")
      TEXT("        the two whole pages that range touches."), Rule3 },
    { TEXT("Committed memory reads as zero before it is written."), Rule4 },
    { TEXT("Touching reserved but uncommitted memory raises an access\n")
      TEXT("        violation."), Rule5 },
    { TEXT("Committing at a given address where nothing is reserved fails."), Rule6 },
    { TEXT("VirtualFree with MEM_RELEASE needs the region's base address\n")
      TEXT("        and size 0."), Rule7 },
    { TEXT("MEM_DECOMMIT works on whole pages: a range inside one page\n")
      TEXT("        decommits that page, one across a boundary both."), Rule8 },
    { TEXT("MEM_TOP_DOWN places a reservation above one made without it."), Rule9 },
    { TEXT("A page committed PAGE_READWRITE | PAGE_GUARD raises\n")
      TEXT("         STATUS_GUARD_PAGE_VIOLATION (0x80000001) on its first\n")
      TEXT("         touch; then the guard is cleared and the page is ordinary."), Rule10 },
};

// See demo.h.
int RunTour(const OPTIONS *pOpt)
{
    SYSTEM_INFO si;
    TOUR t;
    DWORD dwFirst = pOpt->dwTourRule ? pOpt->dwTourRule : 1;
    DWORD dwLast = pOpt->dwTourRule ? pOpt->dwTourRule : TOUR_RULES;
    DWORD dwRule, dwBroken = 0;

    GetSystemInfo(&si);
    t.dwPageSize = si.dwPageSize;
    t.dwGran = si.dwAllocationGranularity;
    WatchStart(pOpt);
    _tprintf(TEXT("A tour of the rules behind the demo. Page size %lu bytes,\n"), t.dwPageSize);
    _tprintf(TEXT("allocation granularity %lu bytes.\n"), t.dwGran);

    for (dwRule = dwFirst; dwRule <= dwLast; dwRule++)
    {
        BOOL bAsDocumented;

        _tprintf(TEXT("\nRule %lu: %s\n"), dwRule, g_rules[dwRule - 1].lpText);
        if (pOpt->bStep)        // Predict, then observe: the calls first, then a stop
        {
            _tprintf(TEXT("  Calls: %s\n"), g_calls[dwRule - 1]);
            StepWait(TEXT("the results and the verdict"));
        }
        bAsDocumented = g_rules[dwRule - 1].pfnShow(&t);
        if (!bAsDocumented)
            dwBroken++;
        _fputts(bAsDocumented ? TEXT("  => as documented\n") : TEXT("  => NOT as documented\n"), stdout);
    }

    if (dwFirst == dwLast)
        _tprintf(TEXT("\nRule %lu %s.\n"), dwFirst, dwBroken ? TEXT("NOT as documented") : TEXT("as documented"));
    else
        _tprintf(TEXT("\n%lu of %d rules as documented.\n"), TOUR_RULES - dwBroken, TOUR_RULES);
    return dwBroken == 0 ? EXIT_OK : EXIT_TOUR_FAILED;
}
