// watch.c - watching the demo run: --verbose (each fault and commit),
// --pause (a look at the region before the release) and --verify (the
// region checked after the loop and after the release). Reads the region
// and what the caller passes; changes nothing.

#include "demo.h"

// See demo.h. dwFault counts from 1; dwCommitPage is the page about to be
// committed, at lpCommitAt.
void ReportFaultBeforeCommit(const EXCEPTION_POINTERS *lpInfo, DWORD dwFault,
                             LPBYTE lpBase, DWORD dwCommitPage, LPBYTE lpCommitAt)
{
    const EXCEPTION_RECORD *lpRec = lpInfo->ExceptionRecord;
    LPVOID lpFault = (lpRec->NumberParameters >= 2) ? (LPVOID)lpRec->ExceptionInformation[1] : NULL;

    _tprintf(TEXT("  fault %lu at %p (%s), page %lu of the region\n"), dwFault, lpFault,
             (lpRec->NumberParameters >= 1 && lpRec->ExceptionInformation[0] == 1) ? TEXT("write") : TEXT("read"),
             (DWORD)(((LPBYTE)lpFault - lpBase) / SystemPageSize()));
    _tprintf(TEXT("  committing page %lu at %p\n"), dwCommitPage, (LPVOID)lpCommitAt);
    PrintQuery(TEXT("before:"), lpCommitAt);
}

// See demo.h.
void ReportRegionAfterCommit(LPBYTE lpCommitted, LPBYTE lpBase, DWORD dwRegionPages)
{
    PrintQuery(TEXT("after: "), lpCommitted);
    PrintRegionMap(lpBase, dwRegionPages);
}

// See demo.h.
void PauseBeforeRelease(LPBYTE lpBase)
{
    int c;

    _tprintf(TEXT("Paused before the release: the region is at %p in process %lu.\n"),
             (LPVOID)lpBase, GetCurrentProcessId());
    _tprintf(TEXT("Inspect it now (VMMap, Process Explorer), then press Enter.\n"));
    fflush(stdout);
    do
        c = getchar();
    while (c != '\n' && c != EOF);
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

// See demo.h.
BOOL VerifyAfterRelease(LPBYTE lpBase)
{
    MEMORY_BASIC_INFORMATION mbi;
    BOOL bOk;

    // 4. After MEM_RELEASE the address space is free again.
    bOk = VirtualQuery(lpBase, &mbi, sizeof mbi) != 0 && mbi.State == MEM_FREE;
    _tprintf(TEXT("Verify: after MEM_RELEASE the base address is MEM_FREE"));
    PrintVerdict(bOk);
    return bOk;
}
