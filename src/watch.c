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

// --step: at an access violation, before the filter acts, says on stderr
// where it hit and what the filter is about to do, and waits for Enter.
static void StepPredict(LPBYTE lpFault, LPCTSTR lpHow, DWORD dwFault, LPBYTE lpBase, DWORD dwRegionPages,
                        DWORD dwPages, DWORD dwPageLimit)
{
    SIZE_T cbRegion = (SIZE_T)dwRegionPages * SystemPageSize();

    if (!g_bStep || g_bEndOfInput)
        return;
    fflush(stdout);
    if (lpFault >= lpBase && lpFault < lpBase + cbRegion)
        _ftprintf(stderr, TEXT("-- step: access violation %lu: %s at %p, page %lu of %lu.\n"), dwFault, lpHow,
                  (LPVOID)lpFault, (DWORD)((SIZE_T)(lpFault - lpBase) / SystemPageSize()), dwRegionPages);
    else
        _ftprintf(stderr, TEXT("-- step: access violation %lu: %s at %p, past the region.\n"), dwFault,
                  lpHow, (LPVOID)lpFault);
    if (dwPages < dwPageLimit)
        _ftprintf(stderr, TEXT("   The filter is about to commit page %lu, at %p.\n"), dwPages,
                  (LPVOID)(lpBase + (SIZE_T)dwPages * SystemPageSize()));
    else
        _ftprintf(stderr, TEXT("   The filter has committed all %lu of its pages.\n"), dwPageLimit);
    _ftprintf(stderr, TEXT("   Predict what happens next, then press Enter to see it --\n"));
    fflush(stderr);
    WaitForEnter();
}

// See demo.h.
void ReportFault(const EXCEPTION_POINTERS *lpInfo, DWORD dwFault, LPBYTE lpBase, DWORD dwRegionPages,
                 DWORD dwPages, DWORD dwPageLimit)
{
    const EXCEPTION_RECORD *lpRec = lpInfo->ExceptionRecord;
    LPBYTE lpFault = (lpRec->NumberParameters >= 2) ? (LPBYTE)lpRec->ExceptionInformation[1] : NULL;
    LPCTSTR lpHow = (lpRec->NumberParameters >= 1 && lpRec->ExceptionInformation[0] == 1) ? TEXT("write") : TEXT("read");
    SIZE_T cbRegion = (SIZE_T)dwRegionPages * SystemPageSize();

    StepPredict(lpFault, lpHow, dwFault, lpBase, dwRegionPages, dwPages, dwPageLimit);
    if (!g_bVerbose)
        return;
    if (lpFault >= lpBase && lpFault < lpBase + cbRegion)
        _tprintf(TEXT("  access violation %lu: %s at %p, page %lu of %lu\n"), dwFault, lpHow,
                 (LPVOID)lpFault, (DWORD)((SIZE_T)(lpFault - lpBase) / SystemPageSize()), dwRegionPages);
    else
        _tprintf(TEXT("  access violation %lu: %s at %p, past the region\n"), dwFault, lpHow,
                 (LPVOID)lpFault);
    _tprintf(TEXT("  working set: %lu KiB\n"), (DWORD)(ProcessWorkingSetBytes() / 1024));
    PrintQuery(TEXT("before:"), lpFault);
    if (dwPages < dwPageLimit)
        _tprintf(TEXT("  the filter asks to commit page %lu, at %p\n"), dwPages,
                 (LPVOID)(lpBase + (SIZE_T)dwPages * SystemPageSize()));
}

// See demo.h.
void ReportCommit(LPBYTE lpCommitted, LPBYTE lpBase, DWORD dwRegionPages)
{
    if (g_bVerbose)
    {
        PrintQuery(TEXT("after: "), lpCommitted);
        _tprintf(TEXT("  committed so far: %lu of the region's %lu pages\n"),
                 CountCommittedPages(lpBase, dwRegionPages, NULL), dwRegionPages);
        PrintRegionMap(lpBase, dwRegionPages);
        _tprintf(TEXT("  filter returns EXCEPTION_CONTINUE_EXECUTION: the write is retried;\n"));
        _tprintf(TEXT("  it takes a page fault that the memory manager resolves with a\n"));
        _tprintf(TEXT("  zero-filled page, with no exception; the page's next %lu writes\n"),
                 SystemPageSize() - 1);
        _tprintf(TEXT("  take neither\n"));
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
        _tprintf(TEXT("  branch \"not a page fault\": 0x%08lX%s is not\n"), dwCode,
                 dwCode == EXCEPTION_INT_DIVIDE_BY_ZERO ? TEXT(" (EXCEPTION_INT_DIVIDE_BY_ZERO)") : TEXT(""));
        _tprintf(TEXT("  EXCEPTION_ACCESS_VIOLATION (0x%08lX): no commit can help\n"),
                 (DWORD)EXCEPTION_ACCESS_VIOLATION);
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
    _ftprintf(stderr, TEXT("(VMMap; under Wine, see README: --pause), then press Enter.\n"));
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
    _tprintf(TEXT("Verify: %lu of %lu pages are MEM_COMMIT with PAGE_READWRITE (%lu KiB committed)"),
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
