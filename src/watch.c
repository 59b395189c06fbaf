// watch.c - watching the demo run: --verbose (each fault explained),
// --step (Enter after each fault or tour rule), --pause (a look at the
// region before the release) and --verify (the region checked after the
// loop and after the release). Reads the region and what the caller
// passes; changes nothing. Prompts go to stderr, the trace to stdout.

#include "demo.h"

static BOOL g_bVerbose;          // --verbose
static BOOL g_bStep;             // --step
static BOOL g_bEndOfInput;       // stdin is used up: --step and --pause carry on
static SYSTEM_COUNTERS g_before; // --verbose: the system's counters before the loop

// See demo.h.
void WatchStart(const OPTIONS *pOpt)
{
    g_bVerbose = pOpt->bVerbose;
    g_bStep = pOpt->bStep;
    if (g_bVerbose && pOpt->mode == MODE_DEMO)
    {
        // One line naming the mechanism that runs the filter in this build.
        _tprintf(TEXT("Exception mechanism: %s.\n"), GuardMechanismName());
        _tprintf(TEXT("  (Reserved pages below show the protection the reservation asked\n"));
        _tprintf(TEXT("  for, AllocationProtect: Protect is undefined for reserved pages.)\n"));
        ReadSystemCounters(&g_before);
        PrintSystemCounters(TEXT("before the loop"), &g_before);
    }
}

// See demo.h.
void ReportAfterRelease(void)
{
    SYSTEM_COUNTERS now;

    if (!g_bVerbose)
        return;
    ReadSystemCounters(&now);
    PrintSystemCounters(TEXT("after the release"), &now);
    if (now.dwPageFaults != 0 && g_before.dwPageFaults != 0)
        _tprintf(TEXT("  page faults since the loop began: %lu (access violations are a few\n")
                 TEXT("  of them; most are the demand-zero faults of first touches)\n"),
                 now.dwPageFaults - g_before.dwPageFaults);
}

// Waits for Enter, or returns at once once stdin is at its end. Everything
// printed so far goes out first, so a person sees what the prompt is about.
static void WaitForEnter(void)
{
    int c;

    fflush(stdout);
    if (g_bEndOfInput)
        return;
    do
        c = getchar();
    while (c != '\n' && c != EOF);
    if (c == EOF)
    {
        g_bEndOfInput = TRUE;
        _fputts(TEXT("\n(end of input: carrying on without waiting)\n"), stderr);
    }
}

// See demo.h. The prompt goes to stderr, so that stdout stays the trace
// and a person sees the prompt wherever stdout goes.
void StepWait(LPCTSTR lpNext)
{
    if (!g_bStep || g_bEndOfInput)
        return;
    fflush(stdout);
    _ftprintf(stderr, TEXT("-- step: predict, then press Enter for %s --\n"), lpNext);
    fflush(stderr);
    WaitForEnter();
}

// The fault ReportFault or ReportCheckedFault described last, for
// ReportCommit: whether the page committed holds it decides what the retry does.
static LPBYTE g_lpFault;
static DWORD g_dwFaultCode;

// "access violation N: write at ADDR, page P of N" (or "guard page
// violation N", or "past the region"), after lpPrefix, ending in lpEnd.
static void PrintFaultLine(FILE *fp, LPCTSTR lpPrefix, LPCTSTR lpEnd, DWORD dwFault, LPCTSTR lpHow,
                           LPBYTE lpBase, DWORD dwRegionPages)
{
    LPCTSTR lpWhat = (g_dwFaultCode == STATUS_GUARD_PAGE_VIOLATION) ? TEXT("guard page violation")
                                                                  : TEXT("access violation");
    SIZE_T cbRegion = (SIZE_T)dwRegionPages * SystemPageSize();

    if (g_lpFault >= lpBase && g_lpFault < lpBase + cbRegion)
        _ftprintf(fp, TEXT("%s%s %lu: %s at %p, page %lu of %lu%s\n"), lpPrefix, lpWhat, dwFault, lpHow,
                  (LPVOID)g_lpFault, (DWORD)((SIZE_T)(g_lpFault - lpBase) / SystemPageSize()), dwRegionPages, lpEnd);
    else
        _ftprintf(fp, TEXT("%s%s %lu: %s at %p, past the region%s\n"), lpPrefix, lpWhat, dwFault, lpHow,
                  (LPVOID)g_lpFault, lpEnd);
}

// Both filters' report of one fault, before the filter acts. dwCommit is
// the page the filter is about to commit (lpAs, if not NULL, follows its
// number, as in " as the new guard"), or NO_COMMIT: then lpNoCommit says what
// the filter does instead, or, if NULL, that it has committed all dwAll of
// its pages (for --step only: the filter's own next line says it on stdout).
// --step says it on stderr and waits; --verbose prints the fault, the
// working set, the page before, and the commit asked for.
#define NO_COMMIT ((DWORD)-1)
static void ReportFaultPlan(const EXCEPTION_POINTERS *lpInfo, DWORD dwFault, LPBYTE lpBase, DWORD dwRegionPages,
                            DWORD dwCommit, LPCTSTR lpAs, LPCTSTR lpNoCommit, DWORD dwAll)
{
    const EXCEPTION_RECORD *lpRec = lpInfo->ExceptionRecord;
    LPCTSTR lpHow = (lpRec->NumberParameters >= 1 && lpRec->ExceptionInformation[0] == 1) ? TEXT("write") : TEXT("read");
    LPBYTE lpCommit = lpBase + (SIZE_T)(dwCommit == NO_COMMIT ? 0 : dwCommit) * SystemPageSize();

    g_lpFault = (lpRec->NumberParameters >= 2) ? (LPBYTE)lpRec->ExceptionInformation[1] : NULL;
    g_dwFaultCode = lpRec->ExceptionCode;
    if (lpAs == NULL)
        lpAs = TEXT("");
    if (g_bStep && !g_bEndOfInput)
    {
        fflush(stdout);
        PrintFaultLine(stderr, TEXT("-- step: "), TEXT("."), dwFault, lpHow, lpBase, dwRegionPages);
        if (dwCommit != NO_COMMIT && *lpAs != TEXT('\0'))    // No address: the line fits 80 columns
            _ftprintf(stderr, TEXT("   The filter is about to commit page %lu%s.\n"), dwCommit, lpAs);
        else if (dwCommit != NO_COMMIT)
            _ftprintf(stderr, TEXT("   The filter is about to commit page %lu, at %p.\n"), dwCommit,
                      (LPVOID)lpCommit);
        else if (lpNoCommit != NULL)
            _ftprintf(stderr, TEXT("   The filter is about to %s.\n"), lpNoCommit);
        else
            _ftprintf(stderr, TEXT("   The filter has committed all %lu of its pages.\n"), dwAll);
        _ftprintf(stderr, TEXT("   Predict what happens next, then press Enter to see it --\n"));
        fflush(stderr);
        WaitForEnter();
    }
    if (!g_bVerbose)
        return;
    PrintFaultLine(stdout, TEXT("  "), TEXT(""), dwFault, lpHow, lpBase, dwRegionPages);
    _tprintf(TEXT("  working set: %lu KiB\n"), (DWORD)(ProcessWorkingSetBytes() / 1024));
    PrintQuery(TEXT("before:"), g_lpFault);
    if (dwCommit != NO_COMMIT)
        _tprintf(TEXT("  the filter asks to commit page %lu%s, at %p\n"), dwCommit, lpAs, (LPVOID)lpCommit);
}

// See demo.h. The sample's filter commits page dwPages, whatever faulted.
void ReportFault(const EXCEPTION_POINTERS *lpInfo, DWORD dwFault, LPBYTE lpBase, DWORD dwRegionPages,
                 DWORD dwPages, DWORD dwPageLimit)
{
    ReportFaultPlan(lpInfo, dwFault, lpBase, dwRegionPages, dwPages < dwPageLimit ? dwPages : NO_COMMIT, NULL,
                    NULL, dwPageLimit);
}

// See demo.h.
void ReportCheckedFault(const EXCEPTION_POINTERS *lpInfo, DWORD dwFault, LPBYTE lpBase, DWORD dwRegionPages,
                        DWORD dwCommit, LPCTSTR lpAs, LPCTSTR lpNoCommit)
{
    ReportFaultPlan(lpInfo, dwFault, lpBase, dwRegionPages, lpNoCommit == NULL ? dwCommit : NO_COMMIT, lpAs,
                    lpNoCommit, 0);
}

// See demo.h. What the retry does depends on the fault: a guard page
// violation's page is an ordinary page now; a write to the page just
// committed is retried into a demand-zero page fault; a write elsewhere
// (the sample's filter commits its next page, whatever faulted) faults again.
void ReportCommit(LPBYTE lpCommitted, LPBYTE lpBase, DWORD dwRegionPages)
{
    if (!g_bVerbose)
        return;
    PrintQuery(TEXT("after: "), lpCommitted);
    _tprintf(TEXT("  committed so far: %lu of the region's %lu pages\n"),
             CountCommittedPages(lpBase, dwRegionPages, NULL), dwRegionPages);
    PrintRegionMap(lpBase, dwRegionPages);
    _tprintf(TEXT("  filter returns EXCEPTION_CONTINUE_EXECUTION: the write is retried;\n"));
    if (g_dwFaultCode == STATUS_GUARD_PAGE_VIOLATION)
    {
        _tprintf(TEXT("  the system cleared PAGE_GUARD from the page that was hit when it\n"));
        _tprintf(TEXT("  raised the exception, so this time the write goes through\n"));
    }
    else if (g_lpFault >= lpCommitted && g_lpFault < lpCommitted + SystemPageSize())
    {
        _tprintf(TEXT("  it takes a page fault that the memory manager resolves with a\n"));
        _tprintf(TEXT("  zero-filled page, with no exception; the page's next %lu writes\n"),
                 SystemPageSize() - 1);
        _tprintf(TEXT("  take neither\n"));
    }
    else
    {
        _tprintf(TEXT("  its address is not on the page just committed and is still not\n"));
        _tprintf(TEXT("  committed, so the write raises another access violation\n"));
    }
}

// See demo.h. Says which of the filter's three give-up branches ran, and why.
void ReportFilterGaveUp(DWORD dwCode, DWORD dwPages, DWORD dwPageLimit, LPBYTE lpNxtPage)
{
    if (!g_bVerbose)
        return;
    if (dwCode != EXCEPTION_ACCESS_VIOLATION)
    {
        _tprintf(TEXT("  working set: %lu KiB\n"), (DWORD)(ProcessWorkingSetBytes() / 1024));
        if (dwCode == STATUS_GUARD_PAGE_VIOLATION)
        {
            // The system has cleared PAGE_GUARD already: a retry would go through.
            _tprintf(TEXT("  branch \"not a page fault\": 0x%08lX (STATUS_GUARD_PAGE_VIOLATION) is\n"), dwCode);
            _tprintf(TEXT("  not EXCEPTION_ACCESS_VIOLATION (0x%08lX); the system has cleared\n"),
                     (DWORD)EXCEPTION_ACCESS_VIOLATION);
            _tprintf(TEXT("  PAGE_GUARD, so a retry would go through, but the filter gives up\n"));
        }
        else
        {
            _tprintf(TEXT("  branch \"not a page fault\": 0x%08lX%s is not\n"), dwCode,
                     dwCode == EXCEPTION_INT_DIVIDE_BY_ZERO ? TEXT(" (EXCEPTION_INT_DIVIDE_BY_ZERO)") : TEXT(""));
            _tprintf(TEXT("  EXCEPTION_ACCESS_VIOLATION (0x%08lX): no commit can help\n"),
                     (DWORD)EXCEPTION_ACCESS_VIOLATION);
        }
    }
    else if (dwPages >= dwPageLimit)
        _tprintf(TEXT("  branch \"out of pages\": the filter has committed %lu of its %lu pages\n"),
                 dwPages, dwPageLimit);
    else
    {
        _tprintf(TEXT("  branch \"VirtualAlloc failed\": MEM_COMMIT needs reserved pages\n"));
        PrintQuery(TEXT("and the page is"), lpNxtPage);
    }
#ifdef _MSC_VER
    _tprintf(TEXT("  filter returns EXCEPTION_EXECUTE_HANDLER: the __except block runs\n"));
#else
    // No __except block runs on GCC: say what plays its part.
    _tprintf(TEXT("  filter returns EXCEPTION_EXECUTE_HANDLER: the __except block's body\n"));
    _tprintf(TEXT("  runs, called by the %s\n"), GuardMechanismName());
#endif
}

// See demo.h. The line on stdout is the trace's record of the pause; the
// prompt goes to stderr, so a person sees it wherever stdout goes.
void PauseBeforeRelease(LPBYTE lpBase)
{
    SYSTEM_COUNTERS now;
    MEMORY_BASIC_INFORMATION mbi;
    SIZE_T cbReserved = 0, cbCommitted = 0;

    // The reservation's runs of pages, as VMMap lists them under its row.
    while (VirtualQuery(lpBase + cbReserved, &mbi, sizeof mbi) != 0 && mbi.AllocationBase == (LPVOID)lpBase)
    {
        if (mbi.State == MEM_COMMIT)
            cbCommitted += mbi.RegionSize;
        cbReserved += mbi.RegionSize;
    }
    _tprintf(TEXT("Paused before the release: the region is at %p in process %lu.\n"),
             (LPVOID)lpBase, GetCurrentProcessId());
    ReadSystemCounters(&now);
    PrintSystemCounters(TEXT("at the pause"), &now);
    _tprintf(TEXT("  What the tools should show for this process and region:\n"));
    _tprintf(TEXT("    Task Manager, Details, \"Commit size\": the process's commit charge\n"));
    _tprintf(TEXT("    (PrivateUsage above), which includes the region's %lu KiB\n"), (DWORD)(cbCommitted / 1024));
    _tprintf(TEXT("    VMMap, the Private Data row at %p: Size %lu KiB,\n"), (LPVOID)lpBase,
             (DWORD)(cbReserved / 1024));
    _tprintf(TEXT("    Committed %lu KiB\n"), (DWORD)(cbCommitted / 1024));
    fflush(stdout);
    _ftprintf(stderr, TEXT("Paused: the region is at %p in process %lu. Inspect it now\n"),
              (LPVOID)lpBase, GetCurrentProcessId());
    _ftprintf(stderr, TEXT("(VMMap; under Wine, see docs/OPTIONS.md, --pause), then press Enter.\n"));
    fflush(stderr);
    WaitForEnter();
}

// Ends a "Verify: ..." line with its verdict.
static void PrintVerdict(BOOL bOk)
{
    _fputts(bOk ? TEXT(": ok\n") : TEXT(": MISMATCH\n"), stdout);
}

// See demo.h.
BOOL VerifyAfterLoop(LPBYTE lpBase, DWORD dwRegionPages, DWORD dwFaults, DWORD dwTouchPages)
{
    DWORD dwPageSize = SystemPageSize();
    BOOL bAllOk = TRUE;
    BOOL bOk;
    DWORD dwCommitted;
    DWORD dwReadWrite;
    SIZE_T cbBad = 0;
    SIZE_T j;

    // 1. One fault per page: no page was committed twice, none skipped.
    bOk = (dwFaults == dwTouchPages);
    _tprintf(TEXT("Verify: faults counted (%lu) equal pages touched (%lu)"), dwFaults, dwTouchPages);
    PrintVerdict(bOk);
    bAllOk &= bOk;

    // 2. The whole region is committed read/write.
    dwCommitted = CountCommittedPages(lpBase, dwRegionPages, &dwReadWrite);
    bOk = (dwCommitted == dwRegionPages && dwReadWrite == dwRegionPages);
    // At most 80 columns even at MAX_PAGES, with ": MISMATCH".
    _tprintf(TEXT("Verify: %lu of %lu pages PAGE_READWRITE; %lu KiB committed"),
             dwReadWrite, dwRegionPages, dwCommitted * (dwPageSize / 1024));
    PrintVerdict(bOk);
    bAllOk &= bOk;

    // 3. Every byte holds what the loop wrote.
    for (j = 0; j < (SIZE_T)dwRegionPages * dwPageSize; j++)
        if (lpBase[j] != 'a')
            cbBad++;
    bOk = (cbBad == 0);
    _tprintf(TEXT("Verify: every byte holds 'a' (%lu bytes differ)"), (DWORD)cbBad);
    PrintVerdict(bOk);
    bAllOk &= bOk;

    return bAllOk;
}

// TRUE if a reservation at lpBase, a released region's base, succeeds
// (and is released again): then nothing holds the address. 32-bit Wine
// reports free memory outside its own reserved areas as MEM_RESERVE
// (dlls/ntdll/unix/virtual.c, fill_basic_memory_info: "pretend that space
// outside of a reserved area is allocated"); there this is the test that
// the release freed the address. docs/ARCHITECTURES.md has the evidence.
static BOOL ReservesAgain(LPBYTE lpBase)
{
    SYSTEM_INFO si;
    LPVOID lpv;

    GetSystemInfo(&si);
    lpv = VirtualAlloc(lpBase, si.dwPageSize, MEM_RESERVE, PAGE_NOACCESS);
    if (lpv == NULL)
        return FALSE;
    VirtualFree(lpv, 0, MEM_RELEASE);
    return lpv == (LPVOID)lpBase;
}

// See demo.h.
BOOL VerifyAfterRelease(LPBYTE lpBase)
{
    MEMORY_BASIC_INFORMATION mbi;
    BOOL bOk;

    // 4. After MEM_RELEASE the address space is free again.
    bOk = VirtualQuery(lpBase, &mbi, sizeof mbi) != 0 && mbi.State == MEM_FREE;
    if (!bOk)
        bOk = ReservesAgain(lpBase);
    _tprintf(TEXT("Verify: after MEM_RELEASE the base address is MEM_FREE"));
    PrintVerdict(bOk);
    return bOk;
}
