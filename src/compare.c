// compare.c - --compare: five ways to touch the pages of a region, measured
// side by side in one run (compare_ways.c), printed here as tables and a
// chart, or as CSV, with each failed check named.

#include "demo.h"
#define STRSAFE_NO_DEPRECATE        // Leave the C runtime's names alone
#include <strsafe.h>                // Bounded formatting that MSVC /W4 does not flag as unsafe

#define BAR_WIDTH    40         // The chart's bars, so that a line fits 80 columns

// "s" unless n is 1, for the plural of a noun after a count.
static LPCTSTR Plural(DWORD n)
{
    return (n == 1) ? TEXT("") : TEXT("s");
}

// us in nWidth columns with the most decimals (3 at most) that fit, into
// sz: a slow fault (10 ms a page under Wine on a busy machine) keeps the
// table's line within 80 columns. Returns sz.
static LPCTSTR FitUs(TCHAR *sz, size_t cch, double us, int nWidth)
{
    int nDecimals = 3;

    do
        StringCchPrintf(sz, cch, TEXT("%*.*f"), nWidth, nDecimals, us);
    while (_tcslen(sz) > (size_t)nWidth && nDecimals-- > 0);
    return sz;
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
        _ftprintf(f, TEXT("Compare check failed: %s: %lu access violations, expected %lu\n"), lpName,
                  pWay->last.dwFaults, pWay->dwExpectedFaults);
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
    TCHAR szMedian[32], szMin[32], szMax[32];
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
            _tprintf(TEXT("%s (%s..%s) %8s"), FitUs(szMedian, 32, p->usMedian, 8), FitUs(szMin, 32, p->usMin, 7),
                     FitUs(szMax, 32, p->usMax, 7), TEXT("-"));
        else
            _tprintf(TEXT("%s (%s..%s) %7.2fx"), FitUs(szMedian, 32, p->usMedian, 8), FitUs(szMin, 32, p->usMin, 7),
                     FitUs(szMax, 32, p->usMax, 7),
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

// See demo.h.
int RunCompare(const OPTIONS *pOpt)
{
    DWORD dwRegionPages = pOpt->dwPagesAsked ? pOpt->dwPagesAsked : COMPARE_DEFAULT_PAGES;
    DWORD dwStride = pOpt->dwStride ? pOpt->dwStride : 1;
    DWORD dwReps = pOpt->dwReps ? pOpt->dwReps : COMPARE_DEFAULT_REPS;
    DWORD dwTouched = (dwRegionPages + dwStride - 1) / dwStride;
    WAY_SUMMARY ways[COMPARE_WAYS];
    BOOL bAllOk;
    int nWay;

    if (!MeasureWays(pOpt, dwRegionPages, dwStride, dwReps, ways, &bAllOk))
        return EXIT_SETUP_FAILED;
    if (pOpt->bCsv)
        PrintCsv(ways, dwRegionPages, dwStride, dwTouched, dwReps);
    else
        PrintTables(ways, dwRegionPages, dwStride, dwTouched, dwReps, bAllOk);
    for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
        NameFailedChecks(&ways[nWay], WayName(nWay, TRUE), pOpt->bCsv ? stderr : stdout);
    return bAllOk ? EXIT_OK : EXIT_COMPARE_FAILED;
}
