// watch.c - watching the demo run: --verbose (each fault explained),
// --step (Enter after each fault or tour rule), --pause (a look at the
// region before the release) and --verify (the region checked after the
// loop and after the release). Reads the region and what the caller
// passes; changes nothing. Prompts go to stderr, the trace to stdout.

#include "demo.h"

static BOOL g_bVerbose;          // --verbose
static BOOL g_bStep;             // --step
static BOOL g_bEndOfInput;       // stdin is used up: --step and --pause carry on

// See demo.h.
void WatchStart(const OPTIONS *pOpt)
{
    g_bVerbose = pOpt->bVerbose;
    g_bStep = pOpt->bStep;
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
    _ftprintf(stderr, TEXT("-- step: press Enter for %s --\n"), lpNext);
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

    if (!g_bVerbose)
        return;
    if (lpFault >= lpBase && lpFault < lpBase + cbRegion)
        _tprintf(TEXT("  fault %lu: a %s at %p, page %lu of the region's %lu\n"), dwFault, lpHow,
                 (LPVOID)lpFault, (DWORD)((SIZE_T)(lpFault - lpBase) / SystemPageSize()), dwRegionPages);
    else
        _tprintf(TEXT("  fault %lu: a %s at %p, which lies past the region\n"), dwFault, lpHow,
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
        _tprintf(TEXT("  filter returns EXCEPTION_CONTINUE_EXECUTION: the write is retried\n"));
        _tprintf(TEXT("  and succeeds; the page's next %lu writes need no fault\n"), SystemPageSize() - 1);
    }
    StepWait(TEXT("the next fault"));
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
    _tprintf(TEXT("  filter returns EXCEPTION_EXECUTE_HANDLER: the __except block runs\n"));
}

// See demo.h. The line on stdout is the trace's record of the pause; the
// prompt goes to stderr, so a person sees it wherever stdout goes.
void PauseBeforeRelease(LPBYTE lpBase)
{
    _tprintf(TEXT("Paused before the release: the region is at %p in process %lu.\n"),
             (LPVOID)lpBase, GetCurrentProcessId());
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
