// filter_checked.c - --filter checked: an exception filter beside the
// sample's that reads the faulting address from the exception record, as
// the sample's does not. It commits the page that faulted, and only if that
// page is a reserved page of the region; anything else gives up at once.
// Keeps its own state; touches only the region it is told about.

#include "demo.h"

static LPBYTE g_lpBase;          // The region, from CheckedFilterStart
static SIZE_T g_cbRegion;
static volatile BOOL g_bGaveUp;  // Read by the __except body
static volatile UINT g_uExitCode;
static volatile DWORD g_dwFaults; // Access violations and guard page violations so far (--verbose)

// See demo.h.
void CheckedFilterStart(LPBYTE lpBase, DWORD dwRegionPages)
{
    g_lpBase = lpBase;
    g_cbRegion = (SIZE_T)dwRegionPages * SystemPageSize();
}

// Says why on stdout and hands over to the __except block with uExitCode.
static INT GiveUp(LPCTSTR lpWhy, UINT uExitCode)
{
    _tprintf(TEXT("Exception: %s.\n"), lpWhy);
    g_uExitCode = uExitCode;
    g_bGaveUp = TRUE;
    return EXCEPTION_EXECUTE_HANDLER;
}

// See demo.h.
INT CheckedPageFaultFilter(DWORD dwCode, EXCEPTION_POINTERS *lpInfo)
{
    const EXCEPTION_RECORD *lpRec = lpInfo->ExceptionRecord;
    DWORD dwPageSize = SystemPageSize();
    DWORD dwRegionPages = (DWORD)(g_cbRegion / dwPageSize);
    BOOL bGuard = (dwCode == STATUS_GUARD_PAGE_VIOLATION);
    LPBYTE lpFault;
    LPBYTE lpPage;
    DWORD dwPage;
    MEMORY_BASIC_INFORMATION mbi;

    // Both exceptions carry the address in ExceptionInformation[1].
    if ((dwCode != EXCEPTION_ACCESS_VIOLATION && !bGuard) || lpRec->NumberParameters < 2)
    {
        _tprintf(TEXT("Exception code = 0x%08lX.\n"), dwCode);
        g_uExitCode = EXIT_NOT_A_PAGE_FAULT;
        g_bGaveUp = TRUE;
        return EXCEPTION_EXECUTE_HANDLER;
    }
    _tprintf(bGuard ? TEXT("Exception is a guard page violation.\n") : TEXT("Exception is a page fault.\n"));
    g_dwFaults++;
    lpFault = (LPBYTE)lpRec->ExceptionInformation[1];
    if (lpFault < g_lpBase || lpFault >= g_lpBase + g_cbRegion)
    {
        ReportCheckedFault(lpInfo, g_dwFaults, g_lpBase, dwRegionPages, 0, NULL,
                           TEXT("give up: the address lies outside the region"));
        return GiveUp(TEXT("the address lies outside the region"), EXIT_FAULT_OUTSIDE);
    }
    dwPage = (DWORD)((SIZE_T)(lpFault - g_lpBase) / dwPageSize);
    lpPage = g_lpBase + (SIZE_T)dwPage * dwPageSize;

    // A guard page: the system has already made it an ordinary page; the
    // next one becomes the new guard, as below a thread's stack.
    if (bGuard)
    {
        ReportCheckedFault(lpInfo, g_dwFaults, g_lpBase, dwRegionPages, dwPage + 1, TEXT(" as the new guard"),
                           dwPage + 1 == dwRegionPages ? TEXT("commit nothing: no page is left for a new guard")
                                                       : NULL);
        if (dwPage + 1 == dwRegionPages)
        {
            _tprintf(TEXT("No page left for a new guard.\n"));
            return EXCEPTION_CONTINUE_EXECUTION;
        }
        if (VirtualAlloc(lpPage + dwPageSize, dwPageSize, MEM_COMMIT, PAGE_READWRITE | PAGE_GUARD) == NULL)
            return GiveUp(TEXT("VirtualAlloc of the new guard failed"), EXIT_COMMIT_FAILED);
        _tprintf(TEXT("Committing the next page as the new guard.\n"));
        ReportCommit(lpPage + dwPageSize, g_lpBase, dwRegionPages);
        return EXCEPTION_CONTINUE_EXECUTION;
    }

    // An access violation on a committed page is no missing page: a commit
    // would only change the page's protection (see docs/SCENARIOS.md).
    if (VirtualQuery(lpPage, &mbi, sizeof mbi) == 0 || mbi.State != MEM_RESERVE)
    {
        ReportCheckedFault(lpInfo, g_dwFaults, g_lpBase, dwRegionPages, 0, NULL,
                           TEXT("give up: the page is committed already"));
        return GiveUp(TEXT("the page is committed already"), EXIT_FAULT_COMMITTED);
    }
    ReportCheckedFault(lpInfo, g_dwFaults, g_lpBase, dwRegionPages, dwPage, NULL, NULL);
    if (VirtualAlloc(lpPage, dwPageSize, MEM_COMMIT, PAGE_READWRITE) == NULL)
    {
        _tprintf(TEXT("VirtualAlloc failed with error code of %lu.\n"), GetLastError());
        g_uExitCode = EXIT_COMMIT_FAILED;
        g_bGaveUp = TRUE;
        return EXCEPTION_EXECUTE_HANDLER;
    }
    _tprintf(TEXT("Allocating another page.\n"));
    ReportCommit(lpPage, g_lpBase, dwRegionPages);
    return EXCEPTION_CONTINUE_EXECUTION;
}

// See demo.h.
DWORD CheckedFilterFaults(void)
{
    return g_dwFaults;
}

// See demo.h.
void CheckedFilterExitIfItGaveUp(void)
{
    if (!g_bGaveUp)
        return;
    _tprintf(TEXT("Exiting process.\n"));
    fflush(stdout);
    ExitProcess(g_uExitCode);
}
