// compare.c - --compare: four ways to touch the pages of a region, measured
// side by side in one run, and --commit-limit's job object. Works on regions
// of its own only; --commit-limit puts the whole process in a job object.

#include "demo.h"

// Each way allocates, touches every dwStride-th page once (one byte, whose
// value depends on the page), and is timed from allocation to the last
// touch; then its committed bytes, commit charge, working set growth and the
// touched bytes are checked, and the region is released.
#define COMPARE_WAYS 4
#define BAR_WIDTH    40         // The chart's bars, so that a line fits 80 columns

typedef enum { WAY_ON_DEMAND, WAY_UP_FRONT, WAY_EXPLICIT, WAY_CHUNK } WAY;

typedef struct
{
    double usPerPage;           // Microseconds per touched page
    DWORD dwCommittedKiB;       // Committed bytes in the region at the end, in KiB
    DWORD dwChargeKiB;          // Growth of the process's PrivateUsage, in KiB
    DWORD dwWorkingSetKiB;      // Growth of the process's WorkingSetSize, in KiB
    DWORD dwFaults;             // Faults the filter handled
    DWORD dwCommitError;        // 0, or the error of a commit the commit limit refused
    BOOL bValuesOk;             // Every touched byte holds its value
} WAY_RESULT;

// One way over all repetitions: its times, its last run, what it should show.
typedef struct
{
    double usMedian, usMin, usMax;
    WAY_RESULT last;
    DWORD dwExpectedKiB, dwExpectedFaults;
    DWORD dwChunk;              // Pages committed per fault (0: the way does not fault)
} WAY_SUMMARY;

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

// The name of a way for the table (bCsv FALSE) or the CSV.
static LPCTSTR WayName(int nWay, BOOL bCsv)
{
    switch (nWay)
    {
    case WAY_ON_DEMAND: return bCsv ? TEXT("on-demand") : TEXT("on demand (filter)");
    case WAY_UP_FRONT:  return bCsv ? TEXT("up-front") : TEXT("up front (whole region)");
    case WAY_EXPLICIT:  return bCsv ? TEXT("explicit") : TEXT("explicit (commit, touch)");
    default:            return bCsv ? TEXT("on-demand-chunk") : TEXT("on demand (chunk/fault)");
    }
}

// "s" unless n is 1, for the plural of a noun after a count.
static LPCTSTR Plural(DWORD n)
{
    return (n == 1) ? TEXT("") : TEXT("s");
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
// returns the committed pages, and the faults in *pdwFaults.
static DWORD ExpectedChunkedPages(DWORD dwRegionPages, DWORD dwStride, DWORD dwChunk, DWORD *pdwFaults)
{
    DWORD dwPage, dwCommittedEnd = 0, dwCommitted = 0;

    *pdwFaults = 0;
    for (dwPage = 0; dwPage < dwRegionPages; dwPage += dwStride)
        if (dwPage >= dwCommittedEnd)   // Touches go upward: only the last chunk can hold it
        {
            dwCommittedEnd = (dwRegionPages - dwPage > dwChunk) ? dwPage + dwChunk : dwRegionPages;
            dwCommitted += dwCommittedEnd - dwPage;
            (*pdwFaults)++;
        }
    return dwCommitted;
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

    for (dwPage = 0; dwPage < dwRegionPages; dwPage += dwStride)
    {
        volatile BYTE *lpByte = lpBase + (SIZE_T)dwPage * dwPageSize;

        if (nWay == WAY_ON_DEMAND || nWay == WAY_CHUNK)
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
        _ftprintf(f, TEXT("Commit limit: %lu MiB per process, enforced: a test commit of %lu MiB\n")
                     TEXT("failed with error %lu (ERROR_COMMITMENT_LIMIT).\n\n"), dwMiB, dwMiB + 1, dwError);
        return TRUE;
    }
    if (lpTest != NULL)
    {
        if (!VirtualFree(lpTest, 0, MEM_RELEASE))
            ErrorExit(TEXT("VirtualFree of the test commit failed"));
        _ftprintf(f, TEXT("Commit limit: %lu MiB set in a job object, but not enforced on this\n")
                     TEXT("system: a test commit of %lu MiB succeeded. The ways run without a limit.\n\n"),
                  dwMiB, dwMiB + 1);
    }
    else
        _ftprintf(f, TEXT("Commit limit: %lu MiB set in a job object, but not shown to hold: a test\n")
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

// TRUE if way *pWay shows what it must (a way the commit limit refused
// shows nothing to check).
static BOOL WayOk(const WAY_SUMMARY *pWay)
{
    if (pWay->last.dwCommitError != 0)
        return TRUE;
    return pWay->last.bValuesOk && pWay->last.dwCommittedKiB == pWay->dwExpectedKiB
           && pWay->last.dwFaults == pWay->dwExpectedFaults;
}

// One line on f for each check way *pWay failed, naming it (lpName, the
// CSV's name): a harness can tell which failed, not only that one did.
static void NameFailedChecks(const WAY_SUMMARY *pWay, LPCTSTR lpName, FILE *f)
{
    if (pWay->last.dwCommitError != 0)
        return;
    if (pWay->last.dwCommittedKiB != pWay->dwExpectedKiB)
        _ftprintf(f, TEXT("Compare check failed: %s: committed %lu KiB, expected %lu\n"), lpName,
                  pWay->last.dwCommittedKiB, pWay->dwExpectedKiB);
    if (pWay->last.dwFaults != pWay->dwExpectedFaults)
        _ftprintf(f, TEXT("Compare check failed: %s: %lu faults, expected %lu\n"), lpName, pWay->last.dwFaults,
                  pWay->dwExpectedFaults);
    if (!pWay->last.bValuesOk)
        _ftprintf(f, TEXT("Compare check failed: %s: a touched byte does not hold its value\n"), lpName);
}

// The CSV: one header, one row per way. Columns after values_ok were added
// later, at the end, so that scripts reading the first ones keep working.
static void PrintCsv(const WAY_SUMMARY *pWays, DWORD dwRegionPages, DWORD dwStride, DWORD dwTouched, DWORD dwReps)
{
    const WAY_SUMMARY *pUp = &pWays[WAY_UP_FRONT];
    int nWay;

    _tprintf(TEXT("way,pages,stride,touched,reps,us_per_page_median,us_per_page_min,us_per_page_max,")
             TEXT("ratio_to_up_front,committed_kib,commit_charge_kib,faults,values_ok,")
             TEXT("chunk_pages,working_set_kib,commit_error\n"));
    for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
    {
        const WAY_SUMMARY *p = &pWays[nWay];

        _tprintf(TEXT("%s,%lu,%lu,%lu,%lu,"), WayName(nWay, TRUE), dwRegionPages, dwStride, dwTouched, dwReps);
        if (p->last.dwCommitError != 0)
            _tprintf(TEXT(",,,,"));     // No time for a way the limit refused
        else if (pUp->last.dwCommitError != 0)
            _tprintf(TEXT("%.3f,%.3f,%.3f,,"), p->usMedian, p->usMin, p->usMax);
        else
            _tprintf(TEXT("%.3f,%.3f,%.3f,%.2f,"), p->usMedian, p->usMin, p->usMax, p->usMedian / pUp->usMedian);
        _tprintf(TEXT("%lu,%lu,%lu,%s,%lu,%lu,%lu\n"), p->last.dwCommittedKiB, p->last.dwChargeKiB,
                 p->last.dwFaults, p->last.bValuesOk ? TEXT("yes") : TEXT("no"), p->dwChunk,
                 p->last.dwWorkingSetKiB, p->last.dwCommitError);
    }
}

// The tables, the chart and the notes, every line within 80 columns.
static void PrintTables(const WAY_SUMMARY *pWays, DWORD dwRegionPages, DWORD dwStride, DWORD dwTouched,
                        DWORD dwReps, BOOL bAllOk)
{
    const WAY_SUMMARY *pUp = &pWays[WAY_UP_FRONT];
    double usLongest = 0;
    int nWay;

    _tprintf(TEXT("Compare: %lu page%s of %lu bytes, stride %lu, so %lu page%s touched;\n")
             TEXT("median of %lu repetition%s, the four ways taking turns.\n\n"),
             dwRegionPages, Plural(dwRegionPages), SystemPageSize(), dwStride, dwTouched, Plural(dwTouched),
             dwReps, Plural(dwReps));

    // Time: what a fault costs, and what committing a chunk per fault saves.
    _tprintf(TEXT("%-24s %7s %8s %18s %8s %8s\n"), TEXT("way"), TEXT("chunk"), TEXT("us/page"),
             TEXT("(min..max)"), TEXT("ratio"), TEXT("faults"));
    for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
    {
        const WAY_SUMMARY *p = &pWays[nWay];

        if (p->dwChunk)
            _tprintf(TEXT("%-24s %7lu "), WayName(nWay, FALSE), p->dwChunk);
        else
            _tprintf(TEXT("%-24s %7s "), WayName(nWay, FALSE), TEXT("-"));     // Commits without a fault
        if (p->last.dwCommitError != 0)
            _tprintf(TEXT("  failed: commit error %lu"), p->last.dwCommitError);
        else if (pUp->last.dwCommitError != 0)
            _tprintf(TEXT("%8.3f (%7.3f..%7.3f) %8s"), p->usMedian, p->usMin, p->usMax, TEXT("-"));
        else
            _tprintf(TEXT("%8.3f (%7.3f..%7.3f) %7.2fx"), p->usMedian, p->usMin, p->usMax,
                     p->usMedian / pUp->usMedian);
        _tprintf(TEXT(" %8lu\n"), p->last.dwFaults);
        if (p->last.dwCommitError == 0 && p->usMedian > usLongest)
            usLongest = p->usMedian;
    }
    _tprintf(TEXT("chunk: pages committed per fault; ratio: median time per page to up front's.\n\n"));
    for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
    {
        TCHAR szBar[BAR_WIDTH + 1];
        double usMedian = pWays[nWay].last.dwCommitError ? 0 : pWays[nWay].usMedian;
        int nLen = (usLongest > 0) ? (int)(usMedian / usLongest * BAR_WIDTH + 0.5) : 0;
        int n;

        for (n = 0; n < BAR_WIDTH; n++)
            szBar[n] = (TCHAR)((n < nLen) ? TEXT('#') : TEXT(' '));
        szBar[BAR_WIDTH] = TEXT('\0');
        _tprintf(TEXT("%-24s |%s| %.3f us\n"), WayName(nWay, FALSE), szBar, usMedian);
    }

    // Memory: what each way committed, and what it used (claims 1 and 2).
    _tprintf(TEXT("\n%-24s %14s %16s %11s\n"), TEXT("way"), TEXT("committed KiB"), TEXT("working set KiB"),
             TEXT("charge KiB"));
    for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
        _tprintf(TEXT("%-24s %14lu %16lu %11lu\n"), WayName(nWay, FALSE), pWays[nWay].last.dwCommittedKiB,
                 pWays[nWay].last.dwWorkingSetKiB, pWays[nWay].last.dwChargeKiB);

    _tprintf(TEXT("\nChecks: committed KiB as expected (%lu, %lu, %lu, %lu),\n")
             TEXT("faults as expected (%lu, 0, 0, %lu), every touched byte holds its value: %s\n"),
             pWays[0].dwExpectedKiB, pWays[1].dwExpectedKiB, pWays[2].dwExpectedKiB, pWays[3].dwExpectedKiB,
             pWays[0].dwExpectedFaults, pWays[3].dwExpectedFaults, bAllOk ? TEXT("ok") : TEXT("MISMATCH"));
    if (pWays[0].last.dwChargeKiB == 0 && pWays[1].last.dwChargeKiB == 0 && pWays[2].last.dwChargeKiB == 0
        && pWays[3].last.dwChargeKiB == 0)
        _tprintf(TEXT("Note: PrivateUsage did not grow for any way: this system does not report the\n")
                 TEXT("commit charge there (Wine does not), so the charge column says nothing here.\n"));
}

// Shows which way and repetition run, on one stderr line rewritten in place.
static void ShowProgress(DWORD dwRep, DWORD dwReps, int nWay)
{
    _ftprintf(stderr, TEXT("\rcompare: repetition %lu of %lu, %-16s"), dwRep + 1, dwReps, WayName(nWay, TRUE));
    fflush(stderr);
}

// See demo.h.
int RunCompare(const OPTIONS *pOpt)
{
    SYSTEM_INFO si;
    DWORD dwRegionPages = pOpt->dwPagesAsked ? pOpt->dwPagesAsked : COMPARE_DEFAULT_PAGES;
    DWORD dwStride = pOpt->dwStride ? pOpt->dwStride : 1;
    DWORD dwReps = pOpt->dwReps ? pOpt->dwReps : COMPARE_DEFAULT_REPS;
    DWORD dwChunk, dwTouched, dwRep, dwKiBPerPage, dwConsoleMode;
    // Progress only for a person watching: stderr is a console.
    BOOL bProgress = GetConsoleMode(GetStdHandle(STD_ERROR_HANDLE), &dwConsoleMode);
    WAY_SUMMARY ways[COMPARE_WAYS];
    double *pTimes;
    BOOL bAllOk = TRUE;
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
        return EXIT_SETUP_FAILED;
    }
    ZeroMemory(ways, sizeof ways);
    if (pOpt->dwCommitLimitMiB)
        g_bLimitHolds = ApplyCommitLimit(pOpt->dwCommitLimitMiB, pOpt->bCsv ? stderr : stdout);

    // Repetition by repetition, the ways in turn, so that whatever else the
    // machine does falls on all of them alike.
    for (dwRep = 0; dwRep < dwReps; dwRep++)
        for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
        {
            if (bProgress)
                ShowProgress(dwRep, dwReps, nWay);
            RunWay(nWay, dwRegionPages, dwStride, dwChunk, &ways[nWay].last);
            pTimes[nWay * dwReps + dwRep] = ways[nWay].last.usPerPage;
        }
    if (bProgress)
        _ftprintf(stderr, TEXT("\r%60s\r"), TEXT(""));  // Leave the line blank

    ways[WAY_ON_DEMAND].dwChunk = 1;
    ways[WAY_CHUNK].dwChunk = dwChunk;
    ways[WAY_ON_DEMAND].dwExpectedKiB = dwKiBPerPage *
        ExpectedChunkedPages(dwRegionPages, dwStride, 1, &ways[WAY_ON_DEMAND].dwExpectedFaults);
    ways[WAY_CHUNK].dwExpectedKiB = dwKiBPerPage *
        ExpectedChunkedPages(dwRegionPages, dwStride, dwChunk, &ways[WAY_CHUNK].dwExpectedFaults);
    ways[WAY_UP_FRONT].dwExpectedKiB = dwRegionPages * dwKiBPerPage;
    ways[WAY_EXPLICIT].dwExpectedKiB = dwTouched * dwKiBPerPage;
    for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
    {
        double *pWay = pTimes + nWay * dwReps;

        qsort(pWay, dwReps, sizeof *pWay, CompareDoubles);
        ways[nWay].usMin = pWay[0];
        ways[nWay].usMax = pWay[dwReps - 1];
        ways[nWay].usMedian = (dwReps % 2) ? pWay[dwReps / 2] : (pWay[dwReps / 2 - 1] + pWay[dwReps / 2]) / 2;
        bAllOk &= WayOk(&ways[nWay]);
    }

    if (pOpt->bCsv)
        PrintCsv(ways, dwRegionPages, dwStride, dwTouched, dwReps);
    else
        PrintTables(ways, dwRegionPages, dwStride, dwTouched, dwReps, bAllOk);
    free(pTimes);
    for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
        NameFailedChecks(&ways[nWay], WayName(nWay, TRUE), pOpt->bCsv ? stderr : stdout);
    return bAllOk ? EXIT_OK : EXIT_COMPARE_FAILED;
}
