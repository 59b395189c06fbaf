// compare.c - --compare: five ways to touch the pages of a region, measured
// side by side in one run, and --commit-limit's job object. Works on regions
// of its own only; --commit-limit puts the whole process in a job object.

#include "demo.h"

// Each way allocates, touches every dwStride-th page once (one byte, whose
// value depends on the page), and is timed from allocation to the last
// touch; then its committed bytes, commit charge, working set growth and the
// touched bytes are checked, and the region is released.
#define COMPARE_WAYS 5
#define BAR_WIDTH    40         // The chart's bars, so that a line fits 80 columns

typedef enum { WAY_ON_DEMAND, WAY_UP_FRONT, WAY_EXPLICIT, WAY_CHUNK, WAY_DOUBLING } WAY;

typedef struct
{
    double usPerPage;           // Microseconds per touched page
    DWORD dwCommittedKiB;       // Committed bytes in the region at the end, in KiB
    DWORD dwChargeKiB;          // Growth of the process's PrivateUsage, in KiB
    DWORD dwWorkingSetKiB;      // Growth of the process's WorkingSetSize, in KiB
    DWORD dwFaults;             // Access violations the filter handled
    DWORD dwSysPageFaults;      // Growth of PageFaultCount over the touches (page faults)
    BOOL bSysPageFaults;        // PageFaultCount is reported on this system
    DWORD dwCommitError;        // 0, or the error of a commit the commit limit refused
    BOOL bValuesOk;             // Every touched byte holds its value
} WAY_RESULT;

// One way over all repetitions: its times, its last run, what it should show.
typedef struct
{
    double usMedian, usMin, usMax;
    WAY_RESULT last;
    DWORD dwExpectedKiB, dwExpectedFaults;
    DWORD dwChunk;              // Pages committed per fault (0: the way does not fault;
                                // doubling: the most it commits at one fault)
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
    case WAY_CHUNK:     return bCsv ? TEXT("on-demand-chunk") : TEXT("on demand (chunk/fault)");
    default:            return bCsv ? TEXT("on-demand-doubling") : TEXT("on demand (doubling)");
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

// TRUE if way *pWay shows what it must (a way the commit limit refused
// shows nothing to check).
static BOOL WayOk(const WAY_SUMMARY *pWay)
{
    if (pWay->last.dwCommitError != 0)
        return TRUE;
    return pWay->last.bValuesOk && pWay->last.dwCommittedKiB == pWay->dwExpectedKiB
           && pWay->last.dwFaults == pWay->dwExpectedFaults;
}

// The KiB way *pWay committed but never touched (0 if none): what its
// chunks cost in memory, against the faults they save.
static DWORD OvershootKiB(const WAY_SUMMARY *pWay, DWORD dwTouched)
{
    DWORD dwTouchedKiB = dwTouched * (SystemPageSize() / 1024);

    return (pWay->last.dwCommittedKiB > dwTouchedKiB) ? pWay->last.dwCommittedKiB - dwTouchedKiB : 0;
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
        _ftprintf(f, TEXT("Compare check failed: %s: %lu access violations, expected %lu\n"), lpName, pWay->last.dwFaults,
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
             TEXT("chunk_pages,working_set_kib,commit_error,overshoot_kib,system_page_faults\n"));
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
        _tprintf(TEXT("%lu,%lu,%lu,%s,%lu,%lu,%lu,%lu,"), p->last.dwCommittedKiB, p->last.dwChargeKiB,
                 p->last.dwFaults, p->last.bValuesOk ? TEXT("yes") : TEXT("no"), p->dwChunk,
                 p->last.dwWorkingSetKiB, p->last.dwCommitError, OvershootKiB(p, dwTouched));
        if (p->last.bSysPageFaults && p->last.dwCommitError == 0)
            _tprintf(TEXT("%lu"), p->last.dwSysPageFaults);
        _tprintf(TEXT("\n"));    // system_page_faults: empty where not reported
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
             TEXT("median of %lu repetition%s, the five ways taking turns.\n\n"),
             dwRegionPages, Plural(dwRegionPages), SystemPageSize(), dwStride, dwTouched, Plural(dwTouched),
             dwReps, Plural(dwReps));

    // Time: what a fault costs, and what committing a chunk per fault saves.
    _tprintf(TEXT("%-24s %7s %8s %18s %8s %8s\n"), TEXT("way"), TEXT("chunk"), TEXT("us/page"),
             TEXT("(min..max)"), TEXT("ratio"), TEXT("AVs"));
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
    _tprintf(TEXT("chunk: pages committed per access violation (AV); doubling: 1, 2, 4, ...,\n")
             TEXT("shown: its largest. AVs: access violations the filter handled.\n")
             TEXT("ratio: median time per page to up front's.\n\n"));
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
    // Overshoot against the faults above: the trade a chunk makes.
    _tprintf(TEXT("\n%-24s %9s  %11s  %7s  %9s  %11s\n"), TEXT("way"), TEXT("committed"), TEXT("working set"),
             TEXT("charge"), TEXT("overshoot"), TEXT("page faults"));
    for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
    {
        _tprintf(TEXT("%-24s %9lu  %11lu  %7lu  %9lu"), WayName(nWay, FALSE), pWays[nWay].last.dwCommittedKiB,
                 pWays[nWay].last.dwWorkingSetKiB, pWays[nWay].last.dwChargeKiB,
                 OvershootKiB(&pWays[nWay], dwTouched));
        if (pWays[nWay].last.bSysPageFaults && pWays[nWay].last.dwCommitError == 0)
            _tprintf(TEXT("  %11lu\n"), pWays[nWay].last.dwSysPageFaults);
        else
            _tprintf(TEXT("  %11s\n"), TEXT("-"));
    }
    _tprintf(TEXT("In KiB: committed, working set, charge and overshoot (committed, never\n")
             TEXT("touched). page faults: growth of PageFaultCount over the way's touches, what\n")
             TEXT("the memory manager counts (every first touch of a page takes one)%s\n"),
             pWays[0].last.bSysPageFaults ? TEXT(".") : TEXT(": not\nreported by this system"));

    _tprintf(TEXT("\nChecks: committed KiB as expected (%lu, %lu, %lu, %lu, %lu),\n")
             TEXT("access violations as expected (%lu, 0, 0, %lu, %lu),\n")
             TEXT("every touched byte holds its value: %s\n"),
             pWays[0].dwExpectedKiB, pWays[1].dwExpectedKiB, pWays[2].dwExpectedKiB, pWays[3].dwExpectedKiB,
             pWays[4].dwExpectedKiB, pWays[0].dwExpectedFaults, pWays[3].dwExpectedFaults,
             pWays[4].dwExpectedFaults, bAllOk ? TEXT("ok") : TEXT("MISMATCH"));
    if (pWays[0].last.dwChargeKiB == 0 && pWays[1].last.dwChargeKiB == 0 && pWays[2].last.dwChargeKiB == 0
        && pWays[3].last.dwChargeKiB == 0 && pWays[4].last.dwChargeKiB == 0)
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

    ways[WAY_ON_DEMAND].dwExpectedKiB = dwKiBPerPage * ExpectedChunkedPages(dwRegionPages, dwStride, 1, FALSE,
        &ways[WAY_ON_DEMAND].dwExpectedFaults, &ways[WAY_ON_DEMAND].dwChunk);
    ways[WAY_CHUNK].dwExpectedKiB = dwKiBPerPage * ExpectedChunkedPages(dwRegionPages, dwStride, dwChunk, FALSE,
        &ways[WAY_CHUNK].dwExpectedFaults, &ways[WAY_CHUNK].dwChunk);
    ways[WAY_CHUNK].dwChunk = dwChunk;  // As asked, even where the region's end clips every chunk
    ways[WAY_DOUBLING].dwExpectedKiB = dwKiBPerPage * ExpectedChunkedPages(dwRegionPages, dwStride, 0, TRUE,
        &ways[WAY_DOUBLING].dwExpectedFaults, &ways[WAY_DOUBLING].dwChunk);
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
