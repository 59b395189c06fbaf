// compare_ways.c - --compare's five ways to touch the pages of a region:
// each way run and measured, and the values it must show (committed KiB,
// access violations, the bytes it wrote), over every repetition; and
// --commit-limit's job object. compare.c prints what they give. Works on
// regions of its own only; --commit-limit puts the whole process in a job
// object.

#include "demo.h"

// Each way allocates, touches every dwStride-th page once (one byte, whose
// value depends on the page), and is timed from allocation to the last
// touch; then its committed bytes, commit charge, working set growth and the
// touched bytes are checked, and the region is released.

static BOOL g_bLimitHolds;      // --commit-limit is in force: a refused commit is a result
static BOOL g_bCsv;             // --csv: stdout is a CSV stream, so errors go to stderr

// ErrorExit for --compare: with --csv, on stderr, so that the CSV stream
// holds nothing but CSV; else as main.c's ErrorExit. Every ErrorExit below
// is this one.
static void CompareErrorExit(LPCTSTR lpMsg)
{
    DWORD dwError = GetLastError();

    fflush(stdout);
    _ftprintf(g_bCsv ? stderr : stdout, TEXT("Error! %s with error code of %lu.\n"), lpMsg, dwError);
    exit(EXIT_SETUP_FAILED);
}
#define ErrorExit CompareErrorExit

// See demo.h.
LPCTSTR WayName(int nWay, BOOL bCsv)
{
    switch (nWay)
    {
    case WAY_ON_DEMAND: return bCsv ? TEXT("on-demand") : TEXT("on demand (filter)");
    case WAY_UP_FRONT:  return bCsv ? TEXT("up-front") : TEXT("up front (whole region)");
    case WAY_EXPLICIT:  return bCsv ? TEXT("explicit") : TEXT("explicit (commit, touch)");
    case WAY_CHUNK:     return bCsv ? TEXT("on-demand-chunk") : TEXT("on demand (chunk/fault)");
    default:            return bCsv ? TEXT("on-demand-doubling") : TEXT("on demand (doubling)");
    }
}

// The byte each way writes to page dwPage.
static BYTE TouchValue(DWORD dwPage)
{
    return (BYTE)(dwPage * 7 + 1);      // Never 0, the value of a fresh page
}

// KiB from the growth of a byte count (0 if it shrank).
static DWORD GrowthKiB(SIZE_T cbBefore, SIZE_T cbAfter)
{
    return (cbAfter > cbBefore) ? (DWORD)((cbAfter - cbBefore) / 1024) : 0;
}

// What a way that commits dwChunk pages from each faulting page (clipped at
// the region's end) must show when it touches every dwStride-th page:
// returns the committed pages, and the faults in *pdwFaults. With bDoubles,
// the chunk is 1 page at the first fault and doubles at each one after;
// *pdwLargest gets the most pages one fault committed (after clipping).
static DWORD ExpectedChunkedPages(DWORD dwRegionPages, DWORD dwStride, DWORD dwChunk, BOOL bDoubles,
                                  DWORD *pdwFaults, DWORD *pdwLargest)
{
    DWORD dwPage, dwCommittedEnd = 0, dwCommitted = 0;

    *pdwFaults = *pdwLargest = 0;
    if (bDoubles)
        dwChunk = 1;
    for (dwPage = 0; dwPage < dwRegionPages; dwPage += dwStride)
        if (dwPage >= dwCommittedEnd)   // Touches go upward: only the last chunk can hold it
        {
            dwCommittedEnd = (dwRegionPages - dwPage > dwChunk) ? dwPage + dwChunk : dwRegionPages;
            dwCommitted += dwCommittedEnd - dwPage;
            if (dwCommittedEnd - dwPage > *pdwLargest)
                *pdwLargest = dwCommittedEnd - dwPage;
            (*pdwFaults)++;
            if (bDoubles && dwChunk < dwRegionPages)
                dwChunk *= 2;           // Past the region's size it would only be clipped
        }
    return dwCommitted;
}

// The doubling way's chunk at its next fault, after dwFaults faults: 2 to
// the power dwFaults pages, at most the region's size (the filter clips it
// at the region's end; the cap keeps the byte count within a SIZE_T).
static DWORD DoublingChunk(DWORD dwFaults, DWORD dwRegionPages)
{
    return (dwFaults < 31 && ((DWORD)1 << dwFaults) < dwRegionPages) ? (DWORD)1 << dwFaults : dwRegionPages;
}

// Runs one way once on a region of its own: allocate, touch every
// dwStride-th page, then measure and check it into *pResult, and release.
// A commit the commit limit refuses ends the way with its error in
// *pResult; any other failure ends the process (exit 1, or the filter's code).
static void RunWay(int nWay, DWORD dwRegionPages, DWORD dwStride, DWORD dwChunk, WAY_RESULT *pResult)
{
    DWORD dwPageSize = SystemPageSize();
    FAULT_LOG log;
    LARGE_INTEGER liFreq, liStart, liEnd;
    SIZE_T cbRegion = (SIZE_T)dwRegionPages * dwPageSize;
    SIZE_T cbChargeBefore = ProcessPrivateBytes(), cbWorkingSetBefore = ProcessWorkingSetBytes();
    DWORD dwTouched = 0, dwPage;
    LPBYTE lpBase;
    SYSTEM_COUNTERS scBefore, scAfter;

    ZeroMemory(pResult, sizeof *pResult);
    ZeroMemory(&log, sizeof log);
    log.dwChunkPages = (nWay == WAY_CHUNK) ? dwChunk : 1;
    QueryPerformanceFrequency(&liFreq);
    QueryPerformanceCounter(&liStart);
    if (nWay == WAY_UP_FRONT)
        lpBase = (LPBYTE)VirtualAlloc(NULL, cbRegion, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    else
        lpBase = (LPBYTE)VirtualAlloc(NULL, cbRegion, MEM_RESERVE, PAGE_NOACCESS);
    if (lpBase == NULL && g_bLimitHolds && nWay == WAY_UP_FRONT)
    {
        pResult->dwCommitError = GetLastError();
        return;
    }
    if (lpBase == NULL)
        ErrorExit(nWay == WAY_UP_FRONT ? TEXT("VirtualAlloc reserve and commit failed") : TEXT("VirtualAlloc reserve failed"));
    log.lpLimit = lpBase + cbRegion;

    ReadSystemCounters(&scBefore);
    for (dwPage = 0; dwPage < dwRegionPages; dwPage += dwStride)
    {
        volatile BYTE *lpByte = lpBase + (SIZE_T)dwPage * dwPageSize;

        if (nWay == WAY_DOUBLING)
            log.dwChunkPages = DoublingChunk(log.dwFaults, dwRegionPages);
        if (nWay == WAY_ON_DEMAND || nWay == WAY_CHUNK || nWay == WAY_DOUBLING)
            GuardedAccess(lpByte, TRUE, TouchValue(dwPage), &log);
        else
        {
            if (nWay == WAY_EXPLICIT && VirtualAlloc((LPVOID)lpByte, dwPageSize, MEM_COMMIT, PAGE_READWRITE) == NULL)
            {
                if (!g_bLimitHolds)
                    ErrorExit(TEXT("VirtualAlloc commit failed"));
                pResult->dwCommitError = GetLastError();
                break;
            }
            *lpByte = TouchValue(dwPage);
        }
        dwTouched++;
    }
    QueryPerformanceCounter(&liEnd);
    ReadSystemCounters(&scAfter);
    pResult->bSysPageFaults = (scBefore.dwPageFaults != 0);     // 0: not reported (Wine)
    pResult->dwSysPageFaults = scAfter.dwPageFaults - scBefore.dwPageFaults;
    pResult->dwChargeKiB = GrowthKiB(cbChargeBefore, ProcessPrivateBytes());
    pResult->dwWorkingSetKiB = GrowthKiB(cbWorkingSetBefore, ProcessWorkingSetBytes());

    pResult->usPerPage = dwTouched ? (double)(liEnd.QuadPart - liStart.QuadPart) * 1e6 / (double)liFreq.QuadPart / dwTouched : 0;
    pResult->dwCommittedKiB = CountCommittedPages(lpBase, dwRegionPages, NULL) * (dwPageSize / 1024);
    pResult->dwFaults = log.dwFaults;
    pResult->bValuesOk = (pResult->dwCommitError == 0);
    for (dwPage = 0; pResult->bValuesOk && dwPage < dwRegionPages; dwPage++)
    {
        BYTE expected = (BYTE)((dwPage % dwStride == 0) ? TouchValue(dwPage) : 0);
        BOOL bCommitted = (dwPage % dwStride == 0) || nWay == WAY_UP_FRONT;

        // Pages never touched are read only where they are surely committed.
        if (bCommitted && lpBase[(SIZE_T)dwPage * dwPageSize] != expected)
            pResult->bValuesOk = FALSE;
    }
    if (!VirtualFree(lpBase, 0, MEM_RELEASE))
        ErrorExit(TEXT("VirtualFree release failed"));
}

// --commit-limit: puts the process in a job object whose per-process commit
// limit is dwMiB (JOB_OBJECT_LIMIT_PROCESS_MEMORY), then finds out whether
// the system enforces it: a test commit of 1 MiB more than the limit must
// fail with ERROR_COMMITMENT_LIMIT. Says which on f. Returns TRUE if the
// limit holds; if not, it clears the job's limit, so the ways run without
// one. Exits (code 1) when a job call fails.
static BOOL ApplyCommitLimit(DWORD dwMiB, FILE *f)
{
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION jeli;
    HANDLE hJob = CreateJobObject(NULL, NULL);
    SIZE_T cbTest = ((SIZE_T)dwMiB + 1) << 20;  // dwMiB < 2048: fits 32 bits
    LPVOID lpTest;
    DWORD dwError;

    if (hJob == NULL)
        ErrorExit(TEXT("CreateJobObject failed"));
    ZeroMemory(&jeli, sizeof jeli);
    jeli.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_PROCESS_MEMORY;
    jeli.ProcessMemoryLimit = (SIZE_T)dwMiB << 20;
    if (!SetInformationJobObject(hJob, JobObjectExtendedLimitInformation, &jeli, sizeof jeli))
        ErrorExit(TEXT("SetInformationJobObject (commit limit) failed"));
    if (!AssignProcessToJobObject(hJob, GetCurrentProcess()))
        ErrorExit(TEXT("AssignProcessToJobObject failed"));

    lpTest = VirtualAlloc(NULL, cbTest, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    dwError = GetLastError();
    if (lpTest == NULL && dwError == ERROR_COMMITMENT_LIMIT)
    {
        _ftprintf(f, TEXT("Job commit limit: %lu MiB for this process (JOB_OBJECT_LIMIT_PROCESS_MEMORY),\n")
                     TEXT("counting what it has committed already; not the system's CommitLimit.\n")
                     TEXT("Enforced: a test commit of %lu MiB failed with error %lu\n")
                     TEXT("(ERROR_COMMITMENT_LIMIT).\n\n"), dwMiB, dwMiB + 1, dwError);
        return TRUE;
    }
    if (lpTest != NULL)
    {
        if (!VirtualFree(lpTest, 0, MEM_RELEASE))
            ErrorExit(TEXT("VirtualFree of the test commit failed"));
        _ftprintf(f, TEXT("Job commit limit: %lu MiB for this process (JOB_OBJECT_LIMIT_PROCESS_MEMORY),\n")
                     TEXT("counting what it has committed already; not the system's CommitLimit.\n")
                     TEXT("Set, but not enforced on this system: a test commit of %lu MiB succeeded.\n")
                     TEXT("The ways run without a limit.\n\n"),
                  dwMiB, dwMiB + 1);
    }
    else
        _ftprintf(f, TEXT("Job commit limit: %lu MiB for this process (JOB_OBJECT_LIMIT_PROCESS_MEMORY),\n")
                     TEXT("counting what it has committed already; not the system's CommitLimit.\n")
                     TEXT("Set, but not shown to hold: a test\n")
                     TEXT("commit of %lu MiB failed with error %lu, not 1455 (ERROR_COMMITMENT_LIMIT).\n")
                     TEXT("The ways run without a limit.\n\n"), dwMiB, dwMiB + 1, dwError);
    jeli.BasicLimitInformation.LimitFlags = 0;
    if (!SetInformationJobObject(hJob, JobObjectExtendedLimitInformation, &jeli, sizeof jeli))
        ErrorExit(TEXT("SetInformationJobObject (clearing the limit) failed"));
    return FALSE;
}

// qsort's order for doubles, smallest first.
static int CompareDoubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

// See demo.h.
BOOL WayOk(const WAY_SUMMARY *pWay)
{
    if (pWay->last.dwCommitError != 0)
        return TRUE;
    return pWay->last.bValuesOk && pWay->last.dwCommittedKiB == pWay->dwExpectedKiB
           && pWay->last.dwFaults == pWay->dwExpectedFaults;
}

// Shows which way and repetition run, on one stderr line rewritten in place.
static void ShowProgress(DWORD dwRep, DWORD dwReps, int nWay)
{
    _ftprintf(stderr, TEXT("\rcompare: repetition %lu of %lu, %-16s"), dwRep + 1, dwReps, WayName(nWay, TRUE));
    fflush(stderr);
}

// See demo.h.
BOOL MeasureWays(const OPTIONS *pOpt, DWORD dwRegionPages, DWORD dwStride, DWORD dwReps, WAY_SUMMARY *pWays,
                 BOOL *pbAllOk)
{
    SYSTEM_INFO si;
    DWORD dwChunk, dwTouched, dwRep, dwKiBPerPage, dwConsoleMode;
    // Progress only for a person watching: stderr is a console.
    BOOL bProgress = GetConsoleMode(GetStdHandle(STD_ERROR_HANDLE), &dwConsoleMode);
    double *pTimes;
    int nWay;

    g_bCsv = pOpt->bCsv;
    GetSystemInfo(&si);
    dwChunk = pOpt->dwChunk ? pOpt->dwChunk : si.dwAllocationGranularity / si.dwPageSize;
    dwKiBPerPage = si.dwPageSize / 1024;
    dwTouched = (dwRegionPages + dwStride - 1) / dwStride;
    pTimes = (double *)malloc(sizeof(double) * COMPARE_WAYS * dwReps);
    if (pTimes == NULL)
    {
        _ftprintf(stderr, TEXT("Error! Out of memory for %lu repetitions.\n"), dwReps);
        return FALSE;
    }
    ZeroMemory(pWays, sizeof *pWays * COMPARE_WAYS);
    *pbAllOk = TRUE;
    if (pOpt->dwCommitLimitMiB)
        g_bLimitHolds = ApplyCommitLimit(pOpt->dwCommitLimitMiB, pOpt->bCsv ? stderr : stdout);

    // Repetition by repetition, the ways in turn, so that whatever else the
    // machine does falls on all of them alike.
    for (dwRep = 0; dwRep < dwReps; dwRep++)
        for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
        {
            if (bProgress)
                ShowProgress(dwRep, dwReps, nWay);
            RunWay(nWay, dwRegionPages, dwStride, dwChunk, &pWays[nWay].last);
            pTimes[nWay * dwReps + dwRep] = pWays[nWay].last.usPerPage;
        }
    if (bProgress)
        _ftprintf(stderr, TEXT("\r%60s\r"), TEXT(""));  // Leave the line blank

    pWays[WAY_ON_DEMAND].dwExpectedKiB = dwKiBPerPage * ExpectedChunkedPages(dwRegionPages, dwStride, 1, FALSE,
        &pWays[WAY_ON_DEMAND].dwExpectedFaults, &pWays[WAY_ON_DEMAND].dwChunk);
    pWays[WAY_CHUNK].dwExpectedKiB = dwKiBPerPage * ExpectedChunkedPages(dwRegionPages, dwStride, dwChunk, FALSE,
        &pWays[WAY_CHUNK].dwExpectedFaults, &pWays[WAY_CHUNK].dwChunk);
    pWays[WAY_CHUNK].dwChunk = dwChunk;  // As asked, even where the region's end clips every chunk
    pWays[WAY_DOUBLING].dwExpectedKiB = dwKiBPerPage * ExpectedChunkedPages(dwRegionPages, dwStride, 0, TRUE,
        &pWays[WAY_DOUBLING].dwExpectedFaults, &pWays[WAY_DOUBLING].dwChunk);
    pWays[WAY_UP_FRONT].dwExpectedKiB = dwRegionPages * dwKiBPerPage;
    pWays[WAY_EXPLICIT].dwExpectedKiB = dwTouched * dwKiBPerPage;
    for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
    {
        double *pWay = pTimes + nWay * dwReps;

        qsort(pWay, dwReps, sizeof *pWay, CompareDoubles);
        pWays[nWay].usMin = pWay[0];
        pWays[nWay].usMax = pWay[dwReps - 1];
        pWays[nWay].usMedian = (dwReps % 2) ? pWay[dwReps / 2] : (pWay[dwReps / 2 - 1] + pWay[dwReps / 2]) / 2;
        *pbAllOk &= WayOk(&pWays[nWay]);
    }
    free(pTimes);
    return TRUE;
}
